import { describe, expect, it } from 'vitest';
import { pool } from '#shared/analysis/pool.ts';
import type { AnalysisEntry } from '#shared/analysis/run-plan.ts';
import {
  alternativeRowsOf,
  findingRowsOf,
  forestPlotsOf,
  narrativeLinesOf,
  overallTestOf,
  type PublishedFinding,
  subgroupAnalysesOf,
} from '#shared/publishing/from-analysis.ts';

/** The group peer support review's labels for the two sides of an effect. */
const FAVOURS = { negative: 'Favours control', positive: 'Favours peer support' };

function entry(overrides: Partial<AnalysisEntry>): AnalysisEntry {
  return {
    outcome: 'recovery',
    timepoint: 'post',
    analysis: 'main',
    measure: 'SMD',
    method: 'DL',
    test: 'z',
    k: 3,
    n: 600,
    pooled: true,
    estimate: 0.2134,
    se: 0.05,
    ci: [0.1154, 0.3114],
    pi: [0.05, 0.38],
    p: 0.0000191,
    evidence: 'very strong evidence',
    magnitude: 'small',
    I2: 12.5,
    I2_Q: 12.4,
    Q: 2.283,
    Q_df: 2,
    Q_p: 0.32,
    tau2: 0.001,
    heterogeneity: null,
    studies: [
      {
        studyId: 'a',
        study: 'Trial A',
        instrument: 'RAS',
        n: 200,
        yi: 0.1,
        vi: 0.02,
        ci: [-0.18, 0.38],
        weight: 30,
        intervention: { mean: 3.4, sd: 0.6, n: 100 },
        control: { mean: 3.34, sd: 0.6, n: 100 },
        higherIsBetter: true,
      },
      {
        studyId: 'b',
        study: 'Trial B',
        instrument: 'RAS',
        n: 250,
        yi: 0.25,
        vi: 0.016,
        ci: [0.0, 0.5],
        weight: 40,
        intervention: { mean: 3.5, sd: 0.6, n: 125 },
        control: { mean: 3.35, sd: 0.6, n: 125 },
        higherIsBetter: true,
      },
      {
        studyId: 'c',
        study: 'Trial C',
        instrument: 'MHRM',
        n: 150,
        yi: 0.3,
        vi: 0.027,
        ci: [-0.02, 0.62],
        weight: 30,
        intervention: { mean: 21.5, sd: 6.125, n: 74 },
        control: { mean: 23.3, sd: 6, n: 76 },
        higherIsBetter: false,
      },
    ],
    notes: [],
    ...overrides,
  };
}

const unpooled = (overrides: Partial<AnalysisEntry>) =>
  entry({
    pooled: false,
    k: 2,
    n: 300,
    estimate: null,
    se: null,
    ci: null,
    pi: null,
    p: null,
    evidence: null,
    magnitude: null,
    I2: null,
    I2_Q: null,
    Q: null,
    Q_df: null,
    Q_p: null,
    tau2: null,
    notes: ['2 trials with usable data: fewer than 3, so not pooled'],
    ...overrides,
  });

const published = (outcome: string, timepoint: string, estimate: number): PublishedFinding => ({
  outcome,
  timepoint,
  followUp: timepoint === 'post' ? null : '3 to 6 months',
  values: {
    k: 4,
    n: 900,
    measure: 'SMD',
    estimate,
    ci: [estimate - 0.1, estimate + 0.1],
    p: 0.05,
    I2_Q: 0,
    Q: 1,
    Q_df: 3,
  },
});

describe('page rows from analysis entries', () => {
  it('copies a pooled main analysis into the summary row unchanged, linked to its forest plot', () => {
    const [row] = findingRowsOf([entry({})], []);
    expect(row?.current).toEqual({
      k: 3,
      n: 600,
      measure: 'SMD',
      estimate: 0.2134,
      ci: [0.1154, 0.3114],
      p: 0.0000191,
      I2_Q: 12.4,
      Q: 2.283,
      Q_df: 2,
      evidence: 'very strong evidence',
      magnitude: 'small',
      forestPlotId: 'forest-recovery-post-main',
    });
    expect(row).toMatchObject({ outcome: 'Recovery', timepoint: 'Post-intervention', analysis: 'main' });
  });

  it('puts the published value beside the current one and keeps a published outcome this version cannot analyse', () => {
    const rows = findingRowsOf(
      [entry({})],
      [published('hope', 'post', 0.18), published('recovery', 'post', 0.18)],
    );
    expect(rows.map((row) => row.outcome)).toEqual(['Hope', 'Recovery']);
    expect(rows[0]?.current).toBeNull();
    expect(rows[0]?.currentNote).toBe('No trial with usable data in this version');
    expect(rows[1]?.published?.estimate).toBe(0.18);
  });

  it('lists outcomes the 2021 review did not report after the published ones, timepoint by timepoint', () => {
    const rows = findingRowsOf(
      [entry({ outcome: 'quality of life' }), entry({ timepoint: 'short-term' })],
      [published('recovery', 'post', 0.18), published('recovery', 'short-term', 0.21)],
    );
    expect(rows.map((row) => `${row.timepoint}: ${row.outcome}`)).toEqual([
      'Post-intervention: Recovery',
      'Post-intervention: Quality of life',
      'Short-term follow-up: Recovery',
    ]);
    expect(rows[2]?.followUp).toBe('3 to 6 months');
  });

  it('says why an analysis with fewer than three trials is not pooled and describes its studies one by one', () => {
    const analyses = [unpooled({ outcome: 'hope' })];
    expect(findingRowsOf(analyses, [])[0]?.currentNote).toBe(
      '2 trials with usable data: fewer than 3, so not pooled',
    );
    const lines = narrativeLinesOf(analyses);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      outcome: 'Hope',
      timepoint: 'Post-intervention',
      study: 'Trial A',
      text: 'SMD 0.10 (95% CI \u22120.18 to 0.38); N = 200; RAS',
    });
  });

  it('draws forest plots for pooled main analyses only, with the analysis weights and intervals', () => {
    const plots = forestPlotsOf(
      [
        entry({}),
        unpooled({ outcome: 'hope' }),
        entry({ analysis: 'robustness', method: 'REML', test: 'knha' }),
      ],
      FAVOURS,
    );
    expect(plots).toHaveLength(1);
    expect(plots[0]?.studies.map((study) => study.weight)).toEqual([30, 40, 30]);
    expect(plots[0]?.studies[0]?.ci).toEqual([-0.18, 0.38]);
    expect(plots[0]?.predictionInterval).toEqual([0.05, 0.38]);
    expect(plots[0]?.method).toBe('Random effects, DerSimonian-Laird, inverse variance, z test');
    expect(plots[0]?.favours.positive).toBe('Favours peer support');
  });

  it("carries each study's arms as analysed and whether its scale was reversed", () => {
    const [plot] = forestPlotsOf([entry({})], FAVOURS);
    expect(
      plot?.studies.map(({ label, intervention, control, reversedScale }) => ({
        label,
        intervention,
        control,
        reversedScale,
      })),
    ).toEqual([
      {
        label: 'Trial A',
        intervention: { mean: 3.4, sd: 0.6, n: 100 },
        control: { mean: 3.34, sd: 0.6, n: 100 },
        reversedScale: false,
      },
      {
        label: 'Trial B',
        intervention: { mean: 3.5, sd: 0.6, n: 125 },
        control: { mean: 3.35, sd: 0.6, n: 125 },
        reversedScale: false,
      },
      {
        label: 'Trial C',
        intervention: { mean: 21.5, sd: 6.125, n: 74 },
        control: { mean: 23.3, sd: 6, n: 76 },
        reversedScale: true,
      },
    ]);
  });

  it('leaves the arms empty for an analysis version stored before they were recorded', () => {
    // As read back from the store: JSON written by the earlier analysis code, without the arm fields.
    const stored = JSON.parse(
      JSON.stringify(entry({}), (key, value) =>
        ['intervention', 'control', 'higherIsBetter'].includes(key) ? undefined : value,
      ),
    ) as AnalysisEntry;
    const [plot] = forestPlotsOf([stored], FAVOURS);
    expect(
      plot?.studies.map(({ intervention, control, reversedScale }) => [intervention, control, reversedScale]),
    ).toEqual([
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ]);
    expect(plot?.studies.map((study) => study.yi)).toEqual([0.1, 0.25, 0.3]);
  });

  it('carries the heterogeneity P and the z test for the overall effect, Z = estimate / SE', () => {
    const [plot] = forestPlotsOf([entry({})], FAVOURS);
    expect(plot?.heterogeneity).toEqual({ I2_Q: 12.4, Q: 2.283, Q_df: 2, Q_p: 0.32, tau2: 0.001 });
    expect(plot?.overallTest).toEqual({ statistic: 'Z', value: 0.2134 / 0.05, p: 0.0000191 });
  });

  it('gives a Hartung-Knapp analysis a t test with k - 1 degrees of freedom', () => {
    expect(overallTestOf({ test: 'knha', k: 5, estimate: 0.3, se: 0.12, p: 0.067 })).toEqual({
      statistic: 't',
      value: 0.3 / 0.12,
      df: 4,
      p: 0.067,
    });
    expect(overallTestOf({ test: 'z', k: 5, estimate: null, se: null, p: null })).toBeNull();
  });

  it("states the pooling engine's own statistic and degrees of freedom for z and for Hartung-Knapp", () => {
    const effects = [0.1, 0.25, 0.3, -0.05, 0.4].map((yi, index) => ({
      study: `Trial ${index + 1}`,
      yi,
      vi: 0.01 + 0.005 * index,
    }));
    for (const test of ['z', 'knha'] as const) {
      const result = pool(effects, { method: test === 'z' ? 'DL' : 'REML', test });
      const overall = overallTestOf({
        test,
        k: result.k,
        estimate: result.estimate,
        se: result.se,
        p: result.p,
      });
      expect(overall?.value).toBeCloseTo(result.stat, 12);
      expect(overall?.statistic === 't' ? overall.df : null).toBe(result.df);
    }
  });

  it('passes on Egger and trim-and-fill when the analysis ran them', () => {
    const [plot] = forestPlotsOf(
      [
        entry({
          egger: { stat: 1.2, p: 0.25, df: 8 },
          trimfill: { k0: 2, side: 'left', estimate: 0.15, se: 0.05, ci: [0.05, 0.25], filled: [] },
        }),
      ],
      FAVOURS,
    );
    expect(plot?.smallStudyEffects).toEqual({
      eggerP: 0.25,
      trimFill: { missing: 2, side: 'left', estimate: 0.15, ci: [0.05, 0.25] },
    });
    expect(forestPlotsOf([entry({})], FAVOURS)[0]?.smallStudyEffects).toBeUndefined();
  });

  it('labels robustness by its method and sensitivity by the plan description the runner put first', () => {
    const rows = alternativeRowsOf([
      entry({ analysis: 'robustness', method: 'REML', test: 'knha' }),
      unpooled({
        analysis: 'sensitivity:low-risk-of-bias',
        notes: [
          'studies with low overall risk of bias only',
          '1 trial with usable data: fewer than 3, so not pooled',
        ],
      }),
    ]);
    expect(rows[0]?.label).toBe('Random effects, REML, inverse variance, Hartung-Knapp');
    expect(rows[0]?.predictionInterval).toEqual([0.05, 0.38]);
    expect(rows[1]).toMatchObject({
      label: 'Studies with low overall risk of bias only',
      result: null,
      note: '1 trial with usable data: fewer than 3, so not pooled',
    });
  });

  it('carries each subgroup and the test for subgroup differences', () => {
    const [analysis] = subgroupAnalysesOf([
      entry({
        analysis: 'subgroup:structured',
        subgroups: [
          {
            subgroup: 'structured',
            k: 2,
            n: 450,
            estimate: 0.2,
            ci: [0.05, 0.35],
            p: 0.01,
            I2_Q: 0,
            tau2: 0,
          },
          {
            subgroup: 'unstructured',
            k: 1,
            n: 150,
            estimate: 0.3,
            ci: [-0.02, 0.62],
            p: 0.07,
            I2_Q: 0,
            tau2: 0,
          },
        ],
        subgroupTest: { Q: 0.31, df: 1, p: 0.58, I2: 0 },
      }),
    ]);
    expect(analysis?.groups.map((group) => group.label)).toEqual(['Structured', 'Unstructured']);
    expect(analysis?.groups[1]?.result?.ci).toEqual([-0.02, 0.62]);
    expect(analysis?.test).toEqual({ Q: 0.31, Q_df: 1, p: 0.58 });
  });
});
