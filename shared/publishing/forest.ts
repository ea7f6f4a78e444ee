/**
 * Forest plot as inline SVG, laid out like a RevMan 5 forest plot of continuous data: per study the intervention
 * and control arms' mean, SD and total, the weight, the effect with its CI as text and as a square with a CI line;
 * the "Total (95% CI)" row with the pooled diamond, the prediction interval, an axis with ticks and a line of no
 * effect; beneath it RevMan's heterogeneity and overall-effect lines and which scales were reversed. Geometry is
 * computed by `layoutForest` (tested directly) and only drawn by `renderForestPlot`.
 */
import {
  fixed,
  formatArmValue,
  formatCount,
  formatEstimate,
  formatI2,
  formatInterval,
  formatRevManPStatement,
  formatTick,
  formatWeight,
} from './format.ts';
import type { ArmSummary, ForestPlotSpec, Interval, OverallEffectTest } from './model.ts';
import { coord, safeId, svgOpen, svgText, truncate, wrap } from './svg.ts';

/** x positions; the arm columns and the weight give their right edge, since numbers are right-aligned. */
export const FOREST = {
  width: 1060,
  labelX: 8,
  intervention: { meanX: 262, sdX: 308, totalX: 350 },
  control: { meanX: 412, sdX: 458, totalX: 500 },
  weightX: 562,
  estimateX: 580,
  plotLeft: 736,
  plotRight: 1040,
  groupHeaderY: 16,
  headerY: 34,
  firstRowY: 58,
  rowHeight: 22,
  footLineHeight: 16,
  maxBox: 14,
  minBox: 4,
  labelChars: 30,
  /** The notes beneath the plot wrap before they reach the axis labels under the plot. */
  noteChars: 110,
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
  /** The lines beneath the plot with their baselines: heterogeneity, the overall effect, then any notes, wrapped. */
  footLines: { text: string; y: number }[];
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
  const footTexts = [
    heterogeneityLine(spec.heterogeneity),
    overallTestLine(spec.overallTest),
    ...[...reversedScalesNote(spec), ...armsNotRecordedNote(spec)].flatMap((note) =>
      wrap(note, FOREST.noteChars),
    ),
  ];
  // Left of the axis, where RevMan prints them: the plot and its labels are on the right.
  const footLines = footTexts.map((text, index) => ({
    text,
    y: lastY + FOREST.rowHeight + index * FOREST.footLineHeight,
  }));
  const lastFootY = footLines.at(-1)?.y ?? axisY;
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
    footLines,
    height: Math.max(axisY + 46, lastFootY + 10),
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

/** "Heterogeneity: Tau² = 0.00; Chi² = 0.28, df = 2 (P = 0.87); I² = 0%", as RevMan 5 prints it. */
export function heterogeneityLine(heterogeneity: ForestPlotSpec['heterogeneity']): string {
  const { tau2, Q, Q_df, Q_p, I2_Q } = heterogeneity;
  return `Heterogeneity: Tau² = ${fixed(tau2, 2)}; Chi² = ${fixed(Q, 2)}, df = ${Q_df} (${formatRevManPStatement(Q_p)}); I² = ${formatI2(I2_Q)}`;
}

/**
 * "Test for overall effect: Z = 3.41 (P = 0.0006)", or "t = 2.10, df = 4" under Hartung-Knapp. RevMan prints
 * the statistic's size; the direction is the diamond's.
 */
export function overallTestLine(test: OverallEffectTest): string {
  const statistic =
    test.statistic === 'Z'
      ? `Z = ${fixed(Math.abs(test.value), 2)}`
      : `t = ${fixed(Math.abs(test.value), 2)}, df = ${test.df}`;
  return `Test for overall effect: ${statistic} (${formatRevManPStatement(test.p)})`;
}

/** Which studies' scales were reversed, in words; empty when none was. */
export function reversedScalesNote(spec: Pick<ForestPlotSpec, 'studies' | 'favours'>): string[] {
  const reversed = spec.studies.filter((study) => study.reversedScale).map((study) => study.label);
  if (reversed.length === 0) return [];
  const which = reversed.length === spec.studies.length ? 'every study' : reversed.join('; ');
  return [
    `Scale reversed (lower scores are better) in ${which}: means as reported, effect multiplied by −1 so that values above zero favour the side labelled "${spec.favours.positive}".`,
  ];
}

/** Which studies' arms the analysis version did not record, in words; empty when it recorded every study's. */
export function armsNotRecordedNote(spec: Pick<ForestPlotSpec, 'studies'>): string[] {
  const byBasis = new Map<string, string[]>();
  for (const study of spec.studies) {
    if (study.effectGiven)
      byBasis.set(study.effectGiven, [...(byBasis.get(study.effectGiven) ?? []), study.label]);
  }
  const givenNote = [...byBasis].map(
    ([basis, labels]) =>
      `Effect as the source gives it, without arm data (no means, SDs or totals), for ${labels.join('; ')}: ${basis}.`,
  );
  const missing = spec.studies.filter(
    (study) => !study.effectGiven && (!study.intervention || !study.control),
  );
  if (missing.length === 0) return givenNote;
  const which = missing.length === spec.studies.length ? 'any study' : missing.map((s) => s.label).join('; ');
  return [
    ...givenNote,
    `This analysis version was stored before arm data were recorded with it: no means, SDs or totals for ${which}.`,
  ];
}

/** Total participants per arm, as RevMan's "Total (95% CI)" row shows them; null unless every study's arms are known. */
export function armTotals(
  spec: Pick<ForestPlotSpec, 'studies'>,
): { intervention: number; control: number } | null {
  let intervention = 0;
  let control = 0;
  for (const study of spec.studies) {
    if (!study.intervention || !study.control) return null;
    intervention += study.intervention.n;
    control += study.control.n;
  }
  return { intervention, control };
}

export function forestDescription(spec: ForestPlotSpec): string {
  const totals = armTotals(spec);
  const pi = spec.predictionInterval
    ? ` 95% prediction interval ${formatInterval(spec.predictionInterval)}.`
    : '';
  const { heterogeneity, overallTest } = spec;
  const statistic =
    overallTest.statistic === 'Z'
      ? `Z = ${fixed(Math.abs(overallTest.value), 2)}`
      : `t = ${fixed(Math.abs(overallTest.value), 2)} with ${overallTest.df} degrees of freedom`;
  const participants = totals
    ? `; ${totals.intervention} participants in the intervention arms and ${totals.control} in the control arms`
    : '';
  return [
    `${spec.studies.length} trials, ${spec.method}${participants}.`,
    `Pooled ${spec.measure} ${formatEstimate(spec.pooled.estimate)} (95% CI ${formatInterval(spec.pooled.ci)}); test for overall effect ${statistic}, ${formatRevManPStatement(overallTest.p)}.`,
    `Heterogeneity: Tau² = ${fixed(heterogeneity.tau2, 2)}, Chi² = ${fixed(heterogeneity.Q, 2)} with ${heterogeneity.Q_df} degrees of freedom, ${formatRevManPStatement(heterogeneity.Q_p)}, I² = ${formatI2(heterogeneity.I2_Q)}.${pi}`,
    `Values above zero favour the side labelled "${spec.favours.positive}".`,
    ...reversedScalesNote(spec),
    ...armsNotRecordedNote(spec),
  ].join(' ');
}

/** Right edges of one arm's Mean, SD and Total columns. */
interface ArmColumns {
  meanX: number;
  sdX: number;
  totalX: number;
}

function armCells(arm: ArmSummary | null, columns: ArmColumns, y: number): string[] {
  if (!arm) return [];
  const cell = (x: number, text: string) => svgText(x, y, text, { anchor: 'end', className: 'num' });
  return [
    cell(columns.meanX, formatArmValue(arm.mean)),
    cell(columns.sdX, formatArmValue(arm.sd)),
    cell(columns.totalX, formatCount(arm.n)),
  ];
}

function armHeaders(label: string, columns: ArmColumns): string[] {
  const head = (x: number, text: string) =>
    svgText(x, FOREST.headerY, text, { anchor: 'end', className: 'head' });
  const groupCentre = (columns.meanX - 40 + columns.totalX) / 2;
  return [
    svgText(groupCentre, FOREST.groupHeaderY, label, { anchor: 'middle', className: 'head' }),
    head(columns.meanX, 'Mean'),
    head(columns.sdX, 'SD'),
    head(columns.totalX, 'Total'),
  ];
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
    ...armHeaders('Intervention', FOREST.intervention),
    ...armHeaders('Control', FOREST.control),
    svgText(FOREST.weightX, FOREST.headerY, 'Weight', { anchor: 'end', className: 'head' }),
    svgText(FOREST.estimateX, FOREST.headerY, `${spec.measure} [95% CI]`, { className: 'head' }),
    svgText((FOREST.plotLeft + FOREST.plotRight) / 2, FOREST.headerY, `${spec.measure} (95% CI)`, {
      anchor: 'middle',
      className: 'head',
    }),
  );
  const zeroX = scale.x(0);
  parts.push(
    `<line class="zero" x1="${coord(zeroX)}" y1="${coord(FOREST.firstRowY - 12)}" x2="${coord(zeroX)}" y2="${coord(layout.axisY)}"/>`,
  );
  spec.studies.forEach((study, index) => {
    const row = layout.rows[index];
    if (!row) return;
    const half = row.boxSize / 2;
    const textY = row.y + 4;
    parts.push(
      `<g class="study">`,
      svgText(FOREST.labelX, textY, truncate(study.label, FOREST.labelChars), { tooltip: study.label }),
      ...armCells(study.intervention, FOREST.intervention, textY),
      ...armCells(study.control, FOREST.control, textY),
      svgText(FOREST.weightX, textY, formatWeight(row.weightPercent), { anchor: 'end', className: 'num' }),
      svgText(FOREST.estimateX, textY, ciText(study.yi, study.ci), { className: 'num' }),
      intervalLine(row.y, row, 'ci'),
      `<rect class="box" x="${coord(row.estimateX - half)}" y="${coord(row.y - half)}" width="${coord(row.boxSize)}" height="${coord(row.boxSize)}"/>`,
      `</g>`,
    );
  });
  const { diamond } = layout;
  const totals = armTotals(spec);
  const totalY = diamond.y + 4;
  const totalCell = (x: number, n: number) =>
    svgText(x, totalY, formatCount(n), { anchor: 'end', className: 'num head' });
  parts.push(
    `<g class="total">`,
    svgText(FOREST.labelX, totalY, 'Total (95% CI)', { className: 'head' }),
    ...(totals
      ? [
          totalCell(FOREST.intervention.totalX, totals.intervention),
          totalCell(FOREST.control.totalX, totals.control),
        ]
      : []),
    svgText(FOREST.weightX, totalY, formatWeight(100), { anchor: 'end', className: 'num head' }),
    svgText(FOREST.estimateX, totalY, ciText(spec.pooled.estimate, spec.pooled.ci), {
      className: 'num head',
    }),
    `<polygon class="diamond" points="${coord(diamond.lowerX)},${coord(diamond.y)} ${coord(diamond.estimateX)},${coord(diamond.y - 7)} ${coord(diamond.upperX)},${coord(diamond.y)} ${coord(diamond.estimateX)},${coord(diamond.y + 7)}"/>`,
    `</g>`,
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
    ...layout.footLines.map((line) => svgText(FOREST.labelX, line.y, line.text, { className: 'foot' })),
    '</svg>',
  );
  return parts.join('');
}
