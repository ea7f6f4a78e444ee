import { describe, expect, it } from 'vitest';
import { diffAnalyses } from '#shared/analysis/material-change.ts';
import type { AnalysisEntry } from '#shared/analysis/run-plan.ts';

function entry(overrides: Partial<AnalysisEntry> = {}): AnalysisEntry {
  return {
    outcome: 'recovery',
    timepoint: 'post',
    analysis: 'main',
    measure: 'SMD',
    method: 'DL',
    test: 'z',
    k: 3,
    n: 300,
    pooled: true,
    estimate: 0.2,
    se: 0.05,
    ci: [0.1, 0.3],
    pi: null,
    p: 0.0001,
    evidence: 'very strong evidence',
    magnitude: 'small',
    I2: 0,
    I2_Q: 0,
    Q: 1,
    Q_df: 2,
    Q_p: 0.6,
    tau2: 0,
    heterogeneity: null,
    studies: ['A', 'B', 'C'].map((study) => ({
      studyId: study,
      study,
      instrument: 'RAS',
      n: 100,
      yi: 0.2,
      vi: 0.01,
      ci: [0, 0.4] as [number, number],
      weight: 33.3,
      intervention: { mean: 3.4, sd: 0.6, n: 50 },
      control: { mean: 3.28, sd: 0.6, n: 50 },
      higherIsBetter: true,
    })),
    notes: [],
    ...overrides,
  };
}

const descriptions = (before: AnalysisEntry, after: AnalysisEntry) =>
  diffAnalyses([before], [after]).map((c) => [c.description, c.material]);

describe('what changed between two analysis versions', () => {
  it('finds nothing between identical analyses', () => {
    expect(diffAnalyses([entry()], [entry()])).toEqual([]);
  });

  it('calls an estimate shift of more than 0.1 material and a smaller one not', () => {
    expect(descriptions(entry(), entry({ estimate: 0.31 }))).toEqual([
      ['estimate moved from 0.20 to 0.31', true],
    ]);
    expect(descriptions(entry(), entry({ estimate: 0.29 }))).toEqual([
      ['estimate moved from 0.20 to 0.29', false],
    ]);
  });

  it('calls a CI that starts crossing zero material', () => {
    expect(descriptions(entry(), entry({ ci: [-0.01, 0.3] }))).toContainEqual([
      'the 95% CI now crosses zero',
      true,
    ]);
  });

  it('calls a changed evidence label material', () => {
    expect(descriptions(entry(), entry({ evidence: 'weak evidence' }))).toContainEqual([
      'evidence changed from very strong evidence to weak evidence',
      true,
    ]);
  });

  it('names a trial that was added', () => {
    const after = entry();
    after.studies = [
      ...after.studies,
      { ...after.studies[0], study: 'D', studyId: 'D' } as AnalysisEntry['studies'][number],
    ];
    const before = entry();
    after.k = before.k + 1;
    after.estimate = 0.25;
    after.ci = [0.1, 0.4];
    const [summary] = descriptions(before, after);
    expect(summary).toEqual([
      `${before.measure} 0.20 (${before.ci?.[0].toFixed(2)} to ${before.ci?.[1].toFixed(2)}), ${before.k} trials -> ${before.measure} 0.25 (0.10 to 0.40), ${before.k + 1} trials; added: D`,
      true,
    ]);
  });

  it('names a trial that was removed, with the numbers before and after', () => {
    const before = entry();
    const after = { ...before, studies: before.studies.slice(1), k: before.k - 1 };
    const removed = before.studies[0]?.study;
    expect(descriptions(before, after)[0]?.[0]).toMatch(new RegExp(`; removed: ${removed}$`));
  });

  it('records a sensitivity analysis change without calling it material', () => {
    const before = entry({ analysis: 'sensitivity:tau-comparators' });
    expect(descriptions(before, { ...before, estimate: 0.5 })).toEqual([
      ['estimate moved from 0.20 to 0.50', false],
    ]);
  });
});
