/**
 * Funnel plot as inline SVG: effect against standard error (0 at the top) with the pooled line and the
 * pseudo 95% confidence region. The review only looks at funnel asymmetry with at least 10 trials,
 * so with fewer there is no plot at all.
 */
import { formatEstimate, formatTick } from './format.ts';
import type { ForestPlotSpec } from './model.ts';
import { coord, safeId, svgOpen, svgText } from './svg.ts';

export const FUNNEL_MIN_TRIALS = 10;

const WIDTH = 420;
const HEIGHT = 300;
const LEFT = 56;
const RIGHT = 404;
const TOP = 16;
const BOTTOM = 250;
const Z95 = 1.959963984540054;

export function renderFunnelPlot(spec: ForestPlotSpec): string | null {
  if (spec.studies.length < FUNNEL_MIN_TRIALS) return null;
  const points = spec.studies.map((study) => ({ yi: study.yi, se: Math.sqrt(Math.max(study.vi, 0)) }));
  const maxSe = Math.max(...points.map((point) => point.se)) * 1.05 || 1;
  const pooled = spec.pooled.estimate;
  const reach = Math.max(Z95 * maxSe, ...points.map((point) => Math.abs(point.yi - pooled))) * 1.05;
  const xMin = pooled - reach;
  const xMax = pooled + reach;
  const x = (value: number) => LEFT + ((value - xMin) / (xMax - xMin)) * (RIGHT - LEFT);
  const y = (se: number) => TOP + (se / maxSe) * (BOTTOM - TOP);
  const id = `${safeId(spec.id)}-funnel`;
  const title = `Funnel plot: ${spec.outcome}, ${spec.timepoint}`;
  const desc =
    `${spec.studies.length} trials plotted by ${spec.measure} (horizontal) against standard error ` +
    `(vertical, smallest at the top), around the pooled estimate ${formatEstimate(pooled)} with its pseudo 95% limits.`;
  const parts = [svgOpen(id, 'funnel-plot', WIDTH, HEIGHT, title, desc)];
  parts.push(
    `<polygon class="funnel" points="${coord(x(pooled))},${coord(y(0))} ${coord(x(pooled - Z95 * maxSe))},${coord(y(maxSe))} ${coord(x(pooled + Z95 * maxSe))},${coord(y(maxSe))}"/>`,
    `<line class="pooled" x1="${coord(x(pooled))}" y1="${coord(y(0))}" x2="${coord(x(pooled))}" y2="${coord(y(maxSe))}"/>`,
  );
  for (const point of points) {
    parts.push(`<circle class="dot" cx="${coord(x(point.yi))}" cy="${coord(y(point.se))}" r="3.5"/>`);
  }
  parts.push(
    `<line class="axis" x1="${LEFT}" y1="${BOTTOM}" x2="${RIGHT}" y2="${BOTTOM}"/>`,
    `<line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${BOTTOM}"/>`,
  );
  for (const tick of [xMin, pooled, xMax]) {
    parts.push(
      svgText(x(tick), BOTTOM + 16, formatTick(Number(tick.toFixed(2))), {
        anchor: 'middle',
        className: 'tick',
      }),
    );
  }
  for (const se of [0, maxSe / 2, maxSe]) {
    parts.push(
      svgText(LEFT - 6, y(se) + 4, formatTick(Number(se.toFixed(2))), { anchor: 'end', className: 'tick' }),
    );
  }
  parts.push(
    svgText((LEFT + RIGHT) / 2, BOTTOM + 36, spec.measure, { anchor: 'middle', className: 'head' }),
    svgText(8, TOP + 4, 'SE', { className: 'head' }),
    '</svg>',
  );
  return parts.join('');
}
