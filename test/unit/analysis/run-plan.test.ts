import { describe, expect, it } from 'vitest';
import { combineArms, revmanStandardisedMeanDifference } from '#shared/analysis/effect-sizes.ts';
import { pool } from '#shared/analysis/pool.ts';
import { runPlan } from '#shared/analysis/run-plan.ts';
import { analysisPlan } from '#test/support/group-peer-support.ts';
import { result, study, twoArm } from '#test/support/plan-fixtures.ts';

const a = study('Alpha 2010');
const b = study('Beta 2012', { coded: { severeMentalHealthConditions: 'no' } });
const c = study('Gamma 2015', { coded: { structured: 'no' } });
const studies = [a, b, c];
const recovery = [
  ...twoArm(a, 'recovery', [3.4, 0.6, 100], [3.2, 0.7, 98], { instrument: 'RAS' }),
  ...twoArm(b, 'recovery', [55, 10, 40], [52, 11, 42], { instrument: 'QPR' }),
  ...twoArm(c, 'recovery', [3.1, 0.8, 60], [3.0, 0.8, 61], { instrument: 'RAS' }),
];

const mainOf = (analyses: ReturnType<typeof runPlan>['analyses'], outcome: string) =>
  analyses.find((x) => x.outcome === outcome && x.analysis === 'main' && x.timepoint === 'post');

describe('running the analysis plan', () => {
  it("calls heterogeneity substantial exactly where RevMan's I² passes the review's 50%", () => {
    const calm = mainOf(runPlan(analysisPlan, studies, recovery).analyses, 'recovery');
    expect(calm?.I2_Q).toBeLessThanOrEqual(50);
    expect(calm?.heterogeneity).toBeNull();
    const apart = [
      ...twoArm(a, 'recovery', [4.4, 0.6, 100], [3.2, 0.7, 98], { instrument: 'RAS' }),
      ...twoArm(b, 'recovery', [45, 10, 40], [52, 11, 42], { instrument: 'QPR' }),
      ...twoArm(c, 'recovery', [3.1, 0.8, 60], [3.0, 0.8, 61], { instrument: 'RAS' }),
    ];
    const varied = mainOf(runPlan(analysisPlan, studies, apart).analyses, 'recovery');
    expect(varied?.I2_Q).toBeGreaterThan(50);
    expect(varied?.heterogeneity).toBe('substantial heterogeneity (I² above 50%)');
  });

  it('pools the main analysis exactly as the pooling engine does with RevMan SMDs and DerSimonian-Laird', () => {
    const main = mainOf(runPlan(analysisPlan, studies, recovery).analyses, 'recovery');
    const arms = [
      [3.4, 0.6, 100, 3.2, 0.7, 98, 'Alpha 2010'],
      [55, 10, 40, 52, 11, 42, 'Beta 2012'],
      [3.1, 0.8, 60, 3.0, 0.8, 61, 'Gamma 2015'],
    ] as const;
    const direct = pool(
      arms.map(([m1i, sd1i, n1i, m2i, sd2i, n2i, label]) => ({
        study: label,
        ...revmanStandardisedMeanDifference({ m1i, sd1i, n1i, m2i, sd2i, n2i }),
      })),
      { method: 'DL', test: 'z' },
    );
    expect(main?.measure).toBe('SMD');
    expect(main?.estimate).toBe(direct.estimate);
    expect(main?.ci).toEqual(direct.ci);
    expect(main?.I2_Q).toBe(direct.I2_Q);
    expect(main?.n).toBe(100 + 98 + 40 + 42 + 60 + 61);
  });

  it('uses the mean difference when every trial measured the outcome on the same instrument', () => {
    const hope = [a, b, c].flatMap((s, i) =>
      twoArm(s, 'hope', [10 + i, 2, 30], [9, 2, 30], { instrument: 'Herth Hope Index' }),
    );
    const main = mainOf(runPlan(analysisPlan, studies, hope).analyses, 'hope');
    expect(main?.measure).toBe('MD');
    expect(main?.studies.map((s) => s.yi)).toEqual([1, 2, 3]);
  });

  it('turns effects on scales where lower is better so that positive favours peer support', () => {
    const depression = [a, b, c].flatMap((s) =>
      twoArm(s, 'depression', [12, 5, 50], [15, 5, 50], { instrument: 'BDI', higherIsBetter: false }),
    );
    const main = mainOf(runPlan(analysisPlan, studies, depression).analyses, 'depression');
    expect(main?.studies.every((s) => s.yi > 0)).toBe(true);
    expect(main?.estimate).toBeGreaterThan(0);
  });

  it('carries the arms as reported, not flipped, and says which scales were reversed', () => {
    const depression = [
      ...twoArm(a, 'depression', [12, 5, 50], [15, 5, 50], { instrument: 'BDI', higherIsBetter: false }),
      ...twoArm(b, 'depression', [40, 8, 30], [37, 9, 31], { instrument: 'WEMWBS' }),
      ...twoArm(c, 'depression', [11, 4, 45], [13, 4, 44], { instrument: 'BDI', higherIsBetter: false }),
    ];
    const main = mainOf(runPlan(analysisPlan, studies, depression).analyses, 'depression');
    const alpha = main?.studies.find((s) => s.study === 'Alpha 2010');
    expect(alpha?.intervention).toEqual({ mean: 12, sd: 5, n: 50 });
    expect(alpha?.control).toEqual({ mean: 15, sd: 5, n: 50 });
    expect(alpha?.yi).toBeGreaterThan(0);
    expect(main?.studies.map((s) => [s.study, s.higherIsBetter])).toEqual([
      ['Alpha 2010', false],
      ['Beta 2012', true],
      ['Gamma 2015', false],
    ]);
  });

  it('reports fewer than three trials one by one instead of pooling them', () => {
    const main = mainOf(runPlan(analysisPlan, studies, recovery.slice(0, 4)).analyses, 'recovery');
    expect(main?.pooled).toBe(false);
    expect(main?.estimate).toBeNull();
    expect(main?.studies).toHaveLength(2);
    expect(main?.studies[0]?.weight).toBeNull();
    expect(main?.notes.join(' ')).toMatch(/fewer than 3, so not pooled/);
  });

  it("combines a three-armed trial's control arms in the main analysis and keeps only its TAU arm in the TAU sensitivity analysis", () => {
    const threeArm = result(
      a,
      'recovery',
      [
        { arm: 'Peer support', role: 'intervention', mean: 3.4, sd: 0.6, n: 100 },
        { arm: 'TAU', role: 'control', controlType: 'tau', mean: 3.2, sd: 0.7, n: 98 },
        { arm: 'Clinician-led group', role: 'control', controlType: 'active', mean: 3.3, sd: 0.65, n: 90 },
      ],
      { instrument: 'RAS' },
    );
    const rows = [...threeArm, ...recovery.slice(2)];
    const { analyses } = runPlan(analysisPlan, studies, rows);
    const alphaMain = mainOf(analyses, 'recovery')?.studies.find((s) => s.study === 'Alpha 2010');
    const combined = combineArms([
      { mean: 3.2, sd: 0.7, n: 98 },
      { mean: 3.3, sd: 0.65, n: 90 },
    ]);
    const expected = revmanStandardisedMeanDifference({
      m1i: 3.4,
      sd1i: 0.6,
      n1i: 100,
      m2i: combined.mean,
      sd2i: combined.sd,
      n2i: combined.n,
    });
    expect(alphaMain?.yi).toBeCloseTo(expected.yi, 14);
    expect(alphaMain?.n).toBe(288);
    expect(alphaMain?.intervention).toEqual({ mean: 3.4, sd: 0.6, n: 100 });
    expect(alphaMain?.control).toEqual(combined);
    expect(alphaMain?.control?.n).toBe(188);
    const tauOnly = analyses.find(
      (x) => x.outcome === 'recovery' && x.analysis === 'sensitivity:tau-comparators',
    );
    expect(tauOnly?.studies.find((s) => s.study === 'Alpha 2010')?.n).toBe(198);
    expect(tauOnly?.studies.find((s) => s.study === 'Alpha 2010')?.control).toEqual({
      mean: 3.2,
      sd: 0.7,
      n: 98,
    });
  });

  it('keeps only low risk-of-bias trials in the risk-of-bias sensitivity analysis', () => {
    const lowRisk = [
      study('Alpha 2010', {}, 'low'),
      study('Beta 2012', {}, 'high'),
      study('Gamma 2015', {}, 'low'),
    ];
    const { analyses } = runPlan(analysisPlan, lowRisk, recovery);
    const sensitivity = analyses.find((x) => x.analysis === 'sensitivity:low-risk-of-bias');
    expect(sensitivity?.studies.map((s) => s.study)).toEqual(['Alpha 2010', 'Gamma 2015']);
    expect(sensitivity?.pooled).toBe(false);
  });

  it('tests subgroup differences between severe and other mental health conditions', () => {
    const { analyses } = runPlan(analysisPlan, studies, recovery);
    const subgroup = analyses.find((x) => x.analysis === 'subgroup:severe-mental-health-conditions');
    expect(subgroup?.subgroups?.map((g) => [g.subgroup, g.k])).toEqual([
      ['other mental health conditions', 1],
      ['severe mental health conditions', 2],
    ]);
    expect(subgroup?.subgroupTest?.df).toBe(1);
  });

  it('takes the follow-up nearest to one year for short-term follow-up', () => {
    const rows = [a, b, c].flatMap((s) => [
      ...twoArm(s, 'recovery', [5, 1, 30], [4, 1, 30], { timepoint: 'short-term', weeks: 12 }),
      ...twoArm(s, 'recovery', [6, 1, 30], [4, 1, 30], { timepoint: 'short-term', weeks: 40 }),
    ]);
    const shortTerm = runPlan(analysisPlan, studies, rows).analyses.find(
      (x) => x.timepoint === 'short-term' && x.analysis === 'main',
    );
    expect(shortTerm?.studies.map((s) => s.yi)).toEqual([2, 2, 2]);
  });

  it('gives the same analyses and hash whatever order the inputs come in', () => {
    const first = runPlan(analysisPlan, studies, recovery);
    const second = runPlan(analysisPlan, [...studies].reverse(), [...recovery].reverse());
    expect(second.hash).toBe(first.hash);
    expect(JSON.stringify(second.analyses)).toBe(JSON.stringify(first.analyses));
  });

  it('changes the hash when a number in the data changes', () => {
    const changed = recovery.map((row, i) => (i === 0 ? { ...row, mean: row.mean + 0.01 } : row));
    expect(runPlan(analysisPlan, studies, changed).hash).not.toBe(
      runPlan(analysisPlan, studies, recovery).hash,
    );
  });
});
