import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { FOREST, layoutForest, renderForestPlot, weightPercents } from '#shared/publishing/forest.ts';
import type { ForestPlotSpec } from '#shared/publishing/model.ts';

function spec(
  studies: ForestPlotSpec['studies'],
  predictionInterval: ForestPlotSpec['predictionInterval'] = null,
) {
  return {
    id: 'recovery-post',
    outcome: 'Recovery',
    timepoint: 'Post-intervention',
    measure: 'SMD',
    method: 'Random effects, DerSimonian-Laird',
    studies,
    pooled: { estimate: 0.2, ci: [0.1, 0.3] },
    predictionInterval,
    heterogeneity: { I2_Q: 0, Q: 1, Q_df: studies.length - 1, tau2: 0 },
    favours: { negative: 'Favours control', positive: 'Favours peer support' },
  } satisfies ForestPlotSpec;
}

const study = (label: string, yi: number, lower: number, upper: number, weight: number) => ({
  label,
  yi,
  vi: ((upper - lower) / 3.92) ** 2,
  ci: [lower, upper] as const,
  weight,
});

const plotWidth = FOREST.plotRight - FOREST.plotLeft;

describe('forest plot geometry', () => {
  it("maps a study's confidence interval to x positions on a symmetric axis", () => {
    const layout = layoutForest(
      spec([study('A', 0.25, -0.5, 0.75, 1), study('B', 0.4, 0.1, 0.7, 1), study('C', -0.2, -0.4, 0, 1)]),
    );
    expect(layout.scale.min).toBe(-1);
    expect(layout.scale.max).toBe(1);
    const row = layout.rows[0];
    expect(row?.lowerX).toBeCloseTo(FOREST.plotLeft + 0.25 * plotWidth, 9);
    expect(row?.estimateX).toBeCloseTo(FOREST.plotLeft + 0.625 * plotWidth, 9);
    expect(row?.upperX).toBeCloseTo(FOREST.plotLeft + 0.875 * plotWidth, 9);
    expect(layout.scale.x(0)).toBeCloseTo(FOREST.plotLeft + plotWidth / 2, 9);
  });

  it('draws the pooled diamond from the lower to the upper confidence limit', () => {
    const layout = layoutForest(spec([study('A', 0.25, -0.5, 0.75, 1), study('B', 0.4, 0.1, 0.7, 1)]));
    expect(layout.diamond.lowerX).toBeCloseTo(layout.scale.x(0.1), 9);
    expect(layout.diamond.estimateX).toBeCloseTo(layout.scale.x(0.2), 9);
    expect(layout.diamond.upperX).toBeCloseTo(layout.scale.x(0.3), 9);
  });

  it('shows weights as percentages that sum to 100 whatever scale they come in', () => {
    const percents = weightPercents([3.1, 12.4, 0.7, 45]);
    expect(percents.reduce((sum, value) => sum + value, 0)).toBeCloseTo(100, 10);
    const layout = layoutForest(spec([study('A', 0.1, 0, 0.2, 2), study('B', 0.2, 0.1, 0.3, 6)]));
    expect(layout.rows.map((row) => row.weightPercent)).toEqual([25, 75]);
  });

  it('sizes the heaviest study with the largest square', () => {
    const layout = layoutForest(spec([study('A', 0.1, 0, 0.2, 1), study('B', 0.2, 0.1, 0.3, 9)]));
    expect(layout.rows[1]?.boxSize).toBe(FOREST.maxBox);
    expect(layout.rows[0]?.boxSize).toBeCloseTo(FOREST.maxBox / 3, 9);
  });

  it('clips a confidence interval that runs past the axis and marks it with an arrow', () => {
    const plot = spec([study('Small trial', 0.4, -1.1, 5.9, 1), study('B', 0.2, 0.05, 0.35, 20)]);
    const layout = layoutForest(plot);
    const row = layout.rows[0];
    expect(layout.scale.max).toBe(1);
    expect(row?.clippedUpper).toBe(true);
    expect(row?.clippedLower).toBe(true);
    expect(row?.upperX).toBe(FOREST.plotRight);
    expect(row?.lowerX).toBe(FOREST.plotLeft);
    expect(layout.rows[1]?.clippedUpper).toBe(false);
    const svg = renderForestPlot(plot);
    expect(svg.match(/class="arrow"/g)).toHaveLength(2);
  });

  it('widens the axis to the units of a mean difference', () => {
    const layout = layoutForest(spec([study('A', 4.2, 1.1, 7.3, 1), study('B', 2.5, 0.4, 4.6, 1)]));
    expect(layout.scale.max).toBe(10);
    expect(layout.scale.ticks).toEqual([-10, -5, 0, 5, 10]);
    expect(layout.rows.some((row) => row.clippedLower || row.clippedUpper)).toBe(false);
  });

  it('draws a single study at 100% weight', () => {
    const layout = layoutForest(spec([study('Only trial', 0.3, 0.1, 0.5, 0.7)]));
    expect(layout.rows.map((row) => row.weightPercent)).toEqual([100]);
    expect(layout.rows[0]?.boxSize).toBe(FOREST.maxBox);
  });

  it('keeps every point estimate and the prediction interval inside the axis', () => {
    const layout = layoutForest(
      spec([study('A', 1.9, 0.1, 3.7, 1), study('B', 0.1, 0, 0.2, 5)], [-1.4, 1.9]),
    );
    expect(layout.scale.max).toBeGreaterThanOrEqual(1.9);
    expect(layout.predictionInterval?.clippedLower).toBe(false);
    expect(layout.predictionInterval?.clippedUpper).toBe(false);
  });
});

describe('forest plot SVG', () => {
  const plot = spec([study('A', 0.25, -0.5, 0.75, 1), study('B', 0.4, 0.1, 0.7, 3)], [-0.3, 0.7]);
  const svg = renderForestPlot(plot);

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
  });

  it('is an image labelled by its own title and description', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
    expect(parsed.svg.role).toBe('img');
    const [titleId, descId] = String(parsed.svg['aria-labelledby']).split(' ');
    expect(parsed.svg.title.id).toBe(titleId);
    expect(parsed.svg.desc.id).toBe(descId);
    expect(parsed.svg.desc['#text']).toContain('Pooled SMD 0.20 (95% CI 0.10 to 0.30)');
  });

  it('draws one confidence line per study, the diamond, the prediction interval and a zero line', () => {
    expect(svg.match(/class="ci"/g)).toHaveLength(2);
    expect(svg.match(/class="diamond"/g)).toHaveLength(1);
    expect(svg).toContain('Prediction interval');
    expect(svg.match(/class="zero"/g)).toHaveLength(1);
  });

  it('labels each study with its weight and the direction of benefit', () => {
    expect(svg).toContain('>25.0%<');
    expect(svg).toContain('>75.0%<');
    expect(svg).toContain('Favours peer support →');
  });
});
