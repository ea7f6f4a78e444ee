import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  FOREST,
  forestDescription,
  layoutForest,
  renderForestPlot,
  weightPercents,
} from '#shared/publishing/forest.ts';
import type { ForestPlotSpec, ForestStudy } from '#shared/publishing/model.ts';

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
    heterogeneity: { I2_Q: 0, Q: 1, Q_df: studies.length - 1, Q_p: 0.61, tau2: 0 },
    overallTest: { statistic: 'Z', value: 3.92, p: 0.00009 },
    favours: { negative: 'Favours control', positive: 'Favours peer support' },
  } satisfies ForestPlotSpec;
}

const study = (
  label: string,
  yi: number,
  lower: number,
  upper: number,
  weight: number,
  arms: Partial<Pick<ForestStudy, 'intervention' | 'control' | 'reversedScale'>> = {},
): ForestStudy => ({
  label,
  study: label,
  yi,
  vi: ((upper - lower) / 3.92) ** 2,
  ci: [lower, upper] as const,
  weight,
  intervention: { mean: 52, sd: 10, n: 50 },
  control: { mean: 50, sd: 10, n: 50 },
  reversedScale: false,
  ...arms,
});

/** The visible text of every <text> element, in document order, without tooltips. */
function textsOf(svg: string): string[] {
  const decode = (text: string) =>
    text
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&');
  return [...svg.matchAll(/<text[^>]*>(?:<title>[^<]*<\/title>)?([^<]*)<\/text>/g)].map((match) =>
    decode(match[1] ?? ''),
  );
}

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

describe('forest plot SVG read like a RevMan 5 forest plot of continuous data', () => {
  const plot: ForestPlotSpec = {
    ...spec([
      study('Alpha 2010', 0.31, 0.02, 0.6, 40, {
        intervention: { mean: 3.4, sd: 0.6, n: 100 },
        control: { mean: 3.21333, sd: 0.6751, n: 188 },
      }),
      study('Beta 2012', 0.25, -0.1, 0.6, 25, {
        intervention: { mean: 12, sd: 5, n: 50 },
        control: { mean: 15.25, sd: 5.1, n: 49 },
        reversedScale: true,
      }),
      study('Gamma 2015', 0.12, -0.2, 0.44, 35, {
        intervention: { mean: -1.5, sd: 2, n: 60 },
        control: { mean: -1.75, sd: 2.2, n: 61 },
      }),
    ]),
    pooled: { estimate: 0.2134, ci: [0.0906, 0.3362] },
    heterogeneity: { tau2: 0.0012, Q: 0.2834, Q_df: 2, Q_p: 0.8679, I2_Q: 0 },
    overallTest: { statistic: 'Z', value: 3.4087, p: 0.00062 },
  };
  const texts = textsOf(renderForestPlot(plot));
  const textsFrom = (first: string, count: number) =>
    texts.slice(texts.indexOf(first), texts.indexOf(first) + count);

  it('heads the arm columns Mean, SD and Total under Intervention and Control', () => {
    expect(texts.slice(0, 10)).toEqual([
      'Study',
      'Intervention',
      'Mean',
      'SD',
      'Total',
      'Control',
      'Mean',
      'SD',
      'Total',
      'Weight',
    ]);
  });

  it("prints each study's arms, weight and effect in RevMan's column order, the combined control arm rounded", () => {
    expect(textsFrom('Alpha 2010', 9)).toEqual([
      'Alpha 2010',
      '3.4',
      '0.6',
      '100',
      '3.21',
      '0.68',
      '188',
      '40.0%',
      '0.31 [0.02, 0.60]',
    ]);
    expect(textsFrom('Gamma 2015', 7)).toEqual([
      'Gamma 2015',
      '\u22121.5',
      '2',
      '60',
      '\u22121.75',
      '2.2',
      '61',
    ]);
  });

  it('prints the means of a reversed-scale study as reported, beside its reversed effect', () => {
    expect(textsFrom('Beta 2012', 9)).toEqual([
      'Beta 2012',
      '12',
      '5',
      '50',
      '15.25',
      '5.1',
      '49',
      '25.0%',
      '0.25 [\u22120.10, 0.60]',
    ]);
  });

  it('totals each arm and gives the pooled effect with its CI in the "Total (95% CI)" row', () => {
    expect(textsFrom('Total (95% CI)', 5)).toEqual([
      'Total (95% CI)',
      '210',
      '298',
      '100.0%',
      '0.21 [0.09, 0.34]',
    ]);
  });

  it("prints RevMan's heterogeneity and overall-effect lines beneath the plot", () => {
    expect(texts).toContain('Heterogeneity: Tau² = 0.00; Chi² = 0.28, df = 2 (P = 0.87); I² = 0%');
    expect(texts).toContain('Test for overall effect: Z = 3.41 (P = 0.0006)');
  });

  it('names the studies whose scale was reversed, and only those', () => {
    const noteText = texts
      .slice(texts.indexOf('Test for overall effect: Z = 3.41 (P = 0.0006)') + 1)
      .join(' ');
    expect(noteText).toBe(
      'Scale reversed (lower scores are better) in Beta 2012: means as reported, effect multiplied by −1 so that values above zero favour the side labelled "Favours peer support".',
    );
    const noneReversed = textsOf(
      renderForestPlot(spec([study('A', 0.2, 0, 0.4, 1), study('B', 0.3, 0.1, 0.5, 1)])),
    );
    expect(noneReversed.at(-1)).toBe('Test for overall effect: Z = 3.92 (P < 0.0001)');
    expect(noneReversed.join(' ')).not.toContain('reversed');
  });

  it('says "every study" when every scale was reversed', () => {
    const reversed = { reversedScale: true };
    const all = spec([study('A', 0.2, 0, 0.4, 1, reversed), study('B', 0.3, 0.1, 0.5, 1, reversed)]);
    expect(textsOf(renderForestPlot(all)).join(' ')).toContain(
      'Scale reversed (lower scores are better) in every study:',
    );
  });

  it('states t with its degrees of freedom for a Hartung-Knapp analysis, and its size whatever its sign', () => {
    const knha: ForestPlotSpec = {
      ...plot,
      pooled: { estimate: -0.2134, ci: [-0.6498, 0.223] },
      overallTest: { statistic: 't', value: -2.104, df: 2, p: 0.1702 },
    };
    expect(textsOf(renderForestPlot(knha))).toContain('Test for overall effect: t = 2.10, df = 2 (P = 0.17)');
    expect(forestDescription(knha)).toContain(
      'test for overall effect t = 2.10 with 2 degrees of freedom, P = 0.17.',
    );
  });

  it('describes the arms, the pooled result, the overall test, heterogeneity and reversed scales in words', () => {
    expect(forestDescription(plot)).toBe(
      '3 trials, Random effects, DerSimonian-Laird; 210 participants in the intervention arms and 298 in the control arms. ' +
        'Pooled SMD 0.21 (95% CI 0.09 to 0.34); test for overall effect Z = 3.41, P = 0.0006. ' +
        'Heterogeneity: Tau² = 0.00, Chi² = 0.28 with 2 degrees of freedom, P = 0.87, I² = 0%. ' +
        'Values above zero favour the side labelled "Favours peer support". ' +
        'Scale reversed (lower scores are better) in Beta 2012: means as reported, effect multiplied by −1 so that values above zero favour the side labelled "Favours peer support".',
    );
  });

  it('puts the lines beneath the plot below the total row, one under the other, inside the image', () => {
    const layout = layoutForest(plot);
    const ys = layout.footLines.map((line) => line.y);
    expect(ys.length).toBeGreaterThanOrEqual(3);
    expect(ys[0]).toBeGreaterThan(layout.diamond.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(ys.length);
    expect(Math.max(...ys)).toBeLessThan(layout.height);
    for (const line of layout.footLines) expect(line.text.length).toBeLessThanOrEqual(FOREST.noteChars);
  });

  it('draws a plot from an analysis version stored before arms were recorded, saying so instead of totals', () => {
    const unrecorded = { intervention: null, control: null, reversedScale: null };
    const stored = spec([study('A', 0.2, 0, 0.4, 1, unrecorded), study('B', 0.3, 0.1, 0.5, 1, unrecorded)]);
    const svg = renderForestPlot(stored);
    expect(XMLValidator.validate(svg)).toBe(true);
    const storedTexts = textsOf(svg);
    expect(storedTexts.slice(storedTexts.indexOf('A'), storedTexts.indexOf('A') + 3)).toEqual([
      'A',
      '50.0%',
      '0.20 [0.00, 0.40]',
    ]);
    expect(
      storedTexts.slice(storedTexts.indexOf('Total (95% CI)'), storedTexts.indexOf('Total (95% CI)') + 2),
    ).toEqual(['Total (95% CI)', '100.0%']);
    expect(storedTexts.join(' ')).toContain(
      'This analysis version was stored before arm data were recorded with it: no means, SDs or totals for any study.',
    );
    expect(storedTexts.join(' ')).not.toContain('Scale reversed');
    expect(forestDescription(stored)).toMatch(/^2 trials, Random effects, DerSimonian-Laird\. Pooled SMD/);
  });
});
