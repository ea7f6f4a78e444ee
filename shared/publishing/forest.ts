/**
 * Forest plot as inline SVG: one row per study (square sized by weight, CI line), the pooled diamond,
 * the prediction interval, an axis with ticks and a line of no effect. Geometry is computed by
 * `layoutForest` (tested directly) and only drawn by `renderForestPlot`.
 */
import { formatEstimate, formatI2, formatInterval, formatTick, formatWeight } from './format.ts';
import type { ForestPlotSpec, Interval } from './model.ts';
import { coord, safeId, svgOpen, svgText, truncate } from './svg.ts';

export const FOREST = {
  width: 760,
  labelX: 8,
  plotLeft: 236,
  plotRight: 516,
  estimateX: 530,
  weightX: 752,
  headerY: 22,
  firstRowY: 46,
  rowHeight: 22,
  maxBox: 14,
  minBox: 4,
  labelChars: 30,
} as const;

export interface AxisScale {
  min: number;
  max: number;
  ticks: number[];
  x(value: number): number;
}

export interface StudyRowLayout {
  label: string;
  weightPercent: number;
  y: number;
  estimateX: number;
  lowerX: number;
  upperX: number;
  clippedLower: boolean;
  clippedUpper: boolean;
  boxSize: number;
}

export interface ForestLayout {
  scale: AxisScale;
  rows: StudyRowLayout[];
  diamond: { y: number; lowerX: number; estimateX: number; upperX: number };
  predictionInterval: {
    y: number;
    lowerX: number;
    upperX: number;
    clippedLower: boolean;
    clippedUpper: boolean;
  } | null;
  axisY: number;
  height: number;
}

/** The smallest of 1, 2, 5 × 10^n that is at least `need`. */
function niceLimit(need: number): number {
  if (!(need > 0) || !Number.isFinite(need)) return 1;
  const power = 10 ** Math.floor(Math.log10(need));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= need - 1e-12) return step * power;
  }
  return 10 * power;
}

/**
 * A symmetric axis around zero. It always shows every point estimate, the pooled CI and the prediction
 * interval; study CIs are shown too unless that would squeeze the rest (beyond twice that extent),
 * in which case they are clipped with an arrow.
 */
export function forestScale(
  spec: ForestPlotSpec,
  left: number = FOREST.plotLeft,
  right: number = FOREST.plotRight,
) {
  const core = [
    spec.pooled.ci[0],
    spec.pooled.ci[1],
    spec.pooled.estimate,
    ...(spec.predictionInterval ? [spec.predictionInterval[0], spec.predictionInterval[1]] : []),
    ...spec.studies.map((study) => study.yi),
  ].map(Math.abs);
  const coreLimit = niceLimit(Math.max(...core.filter(Number.isFinite)));
  const wide = spec.studies.flatMap((study) => [study.ci[0], study.ci[1]]).map(Math.abs);
  const wideLimit = niceLimit(Math.max(coreLimit, ...wide.filter(Number.isFinite)));
  const limit = Math.min(wideLimit, niceLimit(coreLimit * 2));
  const scale: AxisScale = {
    min: -limit,
    max: limit,
    ticks: [-limit, -limit / 2, 0, limit / 2, limit],
    x: (value) => left + ((value + limit) / (2 * limit)) * (right - left),
  };
  return scale;
}

function clippedInterval(scale: AxisScale, interval: Interval) {
  return {
    lowerX: scale.x(Math.max(interval[0], scale.min)),
    upperX: scale.x(Math.min(interval[1], scale.max)),
    clippedLower: interval[0] < scale.min,
    clippedUpper: interval[1] > scale.max,
  };
}

/** Weights as percentages of their total; equal shares when no weight is positive. */
export function weightPercents(weights: number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + Math.max(weight, 0), 0);
  if (total <= 0) return weights.map(() => 100 / weights.length);
  return weights.map((weight) => (Math.max(weight, 0) / total) * 100);
}

export function layoutForest(spec: ForestPlotSpec): ForestLayout {
  const scale = forestScale(spec);
  const percents = weightPercents(spec.studies.map((study) => study.weight));
  const heaviest = Math.max(...percents, 0);
  const rows = spec.studies.map((study, index): StudyRowLayout => {
    const weightPercent = percents[index] ?? 0;
    const relative = heaviest > 0 ? Math.sqrt(weightPercent / heaviest) : 1;
    return {
      label: study.label,
      weightPercent,
      y: FOREST.firstRowY + index * FOREST.rowHeight,
      estimateX: scale.x(Math.min(Math.max(study.yi, scale.min), scale.max)),
      ...clippedInterval(scale, study.ci),
      boxSize: Math.max(FOREST.minBox, FOREST.maxBox * relative),
    };
  });
  const diamondY = FOREST.firstRowY + spec.studies.length * FOREST.rowHeight + 6;
  const piY = diamondY + FOREST.rowHeight;
  const lastY = spec.predictionInterval ? piY : diamondY;
  const axisY = lastY + FOREST.rowHeight - 4;
  return {
    scale,
    rows,
    diamond: {
      y: diamondY,
      lowerX: scale.x(spec.pooled.ci[0]),
      estimateX: scale.x(spec.pooled.estimate),
      upperX: scale.x(spec.pooled.ci[1]),
    },
    predictionInterval: spec.predictionInterval
      ? { y: piY, ...clippedInterval(scale, spec.predictionInterval) }
      : null,
    axisY,
    height: axisY + 46,
  };
}

function arrow(x: number, y: number, pointsLeft: boolean): string {
  const tip = pointsLeft ? x - 6 : x + 6;
  return `<polygon class="arrow" points="${coord(tip)},${coord(y)} ${coord(x)},${coord(y - 4)} ${coord(x)},${coord(y + 4)}"/>`;
}

function intervalLine(
  y: number,
  geometry: { lowerX: number; upperX: number; clippedLower: boolean; clippedUpper: boolean },
  className: string,
): string {
  const parts = [
    `<line class="${className}" x1="${coord(geometry.lowerX)}" y1="${coord(y)}" x2="${coord(geometry.upperX)}" y2="${coord(y)}"/>`,
  ];
  if (geometry.clippedLower) parts.push(arrow(geometry.lowerX, y, true));
  if (geometry.clippedUpper) parts.push(arrow(geometry.upperX, y, false));
  return parts.join('');
}

function ciText(estimate: number, interval: Interval): string {
  return `${formatEstimate(estimate)} [${formatEstimate(interval[0])}, ${formatEstimate(interval[1])}]`;
}

export function forestDescription(spec: ForestPlotSpec): string {
  const pi = spec.predictionInterval
    ? `; 95% prediction interval ${formatInterval(spec.predictionInterval)}`
    : '';
  return (
    `${spec.studies.length} trials, ${spec.method}. Pooled ${spec.measure} ${formatEstimate(spec.pooled.estimate)} ` +
    `(95% CI ${formatInterval(spec.pooled.ci)})${pi}; I² = ${formatI2(spec.heterogeneity.I2_Q)}. ` +
    `Values above zero favour the side labelled "${spec.favours.positive}".`
  );
}

export function renderForestPlot(spec: ForestPlotSpec): string {
  const layout = layoutForest(spec);
  const { scale } = layout;
  const id = `${safeId(spec.id)}-plot`;
  const title = `Forest plot: ${spec.outcome}, ${spec.timepoint} (${spec.measure})`;
  const parts: string[] = [
    svgOpen(id, 'forest-plot', FOREST.width, layout.height, title, forestDescription(spec)),
  ];
  parts.push(
    svgText(FOREST.labelX, FOREST.headerY, 'Study', { className: 'head' }),
    svgText((FOREST.plotLeft + FOREST.plotRight) / 2, FOREST.headerY, `${spec.measure} (95% CI)`, {
      anchor: 'middle',
      className: 'head',
    }),
    svgText(FOREST.estimateX, FOREST.headerY, `${spec.measure} [95% CI]`, { className: 'head' }),
    svgText(FOREST.weightX, FOREST.headerY, 'Weight', { anchor: 'end', className: 'head' }),
  );
  const zeroX = scale.x(0);
  parts.push(
    `<line class="zero" x1="${coord(zeroX)}" y1="${coord(FOREST.firstRowY - 12)}" x2="${coord(zeroX)}" y2="${coord(layout.axisY)}"/>`,
  );
  spec.studies.forEach((study, index) => {
    const row = layout.rows[index];
    if (!row) return;
    const half = row.boxSize / 2;
    parts.push(
      `<g class="study">`,
      svgText(FOREST.labelX, row.y + 4, truncate(study.label, FOREST.labelChars), { tooltip: study.label }),
      intervalLine(row.y, row, 'ci'),
      `<rect class="box" x="${coord(row.estimateX - half)}" y="${coord(row.y - half)}" width="${coord(row.boxSize)}" height="${coord(row.boxSize)}"/>`,
      svgText(FOREST.estimateX, row.y + 4, ciText(study.yi, study.ci), { className: 'num' }),
      svgText(FOREST.weightX, row.y + 4, formatWeight(row.weightPercent), {
        anchor: 'end',
        className: 'num',
      }),
      `</g>`,
    );
  });
  const { diamond } = layout;
  parts.push(
    svgText(FOREST.labelX, diamond.y + 4, 'Pooled estimate', { className: 'head' }),
    `<polygon class="diamond" points="${coord(diamond.lowerX)},${coord(diamond.y)} ${coord(diamond.estimateX)},${coord(diamond.y - 7)} ${coord(diamond.upperX)},${coord(diamond.y)} ${coord(diamond.estimateX)},${coord(diamond.y + 7)}"/>`,
    svgText(FOREST.estimateX, diamond.y + 4, ciText(spec.pooled.estimate, spec.pooled.ci), {
      className: 'num head',
    }),
    svgText(FOREST.weightX, diamond.y + 4, '100%', { anchor: 'end', className: 'num head' }),
  );
  const pi = layout.predictionInterval;
  if (pi && spec.predictionInterval) {
    parts.push(
      svgText(FOREST.labelX, pi.y + 4, 'Prediction interval'),
      intervalLine(pi.y, pi, 'pi'),
      `<line class="pi" x1="${coord(pi.lowerX)}" y1="${coord(pi.y - 4)}" x2="${coord(pi.lowerX)}" y2="${coord(pi.y + 4)}"/>`,
      `<line class="pi" x1="${coord(pi.upperX)}" y1="${coord(pi.y - 4)}" x2="${coord(pi.upperX)}" y2="${coord(pi.y + 4)}"/>`,
      svgText(
        FOREST.estimateX,
        pi.y + 4,
        `[${formatEstimate(spec.predictionInterval[0])}, ${formatEstimate(spec.predictionInterval[1])}]`,
        { className: 'num' },
      ),
    );
  }
  const axisY = layout.axisY;
  parts.push(
    `<line class="axis" x1="${FOREST.plotLeft}" y1="${coord(axisY)}" x2="${FOREST.plotRight}" y2="${coord(axisY)}"/>`,
  );
  for (const tick of scale.ticks) {
    const x = scale.x(tick);
    parts.push(
      `<line class="axis" x1="${coord(x)}" y1="${coord(axisY)}" x2="${coord(x)}" y2="${coord(axisY + 5)}"/>`,
      svgText(x, axisY + 17, formatTick(tick), { anchor: 'middle', className: 'tick' }),
    );
  }
  parts.push(
    svgText(zeroX - 6, axisY + 34, `← ${spec.favours.negative}`, { anchor: 'end', className: 'favours' }),
    svgText(zeroX + 6, axisY + 34, `${spec.favours.positive} →`, { className: 'favours' }),
    '</svg>',
  );
  return parts.join('');
}
