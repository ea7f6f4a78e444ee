import { describe, expect, it } from 'vitest';
import { runPlan } from '#shared/analysis/run-plan.ts';
import { readMetapsy } from '#shared/extraction/metapsy.ts';
import { metapsyText } from '#test/support/extraction-fixtures.ts';
import {
  analysisPlan,
  groupPeerSupportExtraction,
  groupPeerSupportOutcomeMap,
} from '#test/support/group-peer-support.ts';
import { expectClose } from '#test/support/reference-cases.ts';
import reference from '../../fixtures/plan-reference/metapsy-recovery.json' with { type: 'json' };

const batch = readMetapsy(metapsyText(), { document: 'data.csv', config: groupPeerSupportExtraction });
const { analyses } = runPlan(
  analysisPlan,
  // The caller decides what may be pooled; the R reference pools the group-format trials.
  batch.studies.filter((study) => study.inScope),
  batch.rows,
  { outcomeOrder: groupPeerSupportOutcomeMap.outcomes.map((o) => o.id) },
);
const recovery = (analysis: string) =>
  analyses.find((a) => a.outcome === 'recovery' && a.timepoint === 'post' && a.analysis === analysis);

describe('the analysis plan on the real Metapsy data', () => {
  it('pools recovery at post-intervention from the four in-scope group trials with arm-level data', () => {
    expect(recovery('main')?.studies.map((s) => s.study)).toEqual([
      'Cook 2012a',
      'Cook 2012b',
      'Kaplan 2011',
      'Russinova 2014',
    ]);
  });

  it('matches an independent R computation of the main analysis (RevMan SMD, DerSimonian-Laird)', () => {
    const main = recovery('main');
    expectClose(main?.k, reference.main.k, 0, 'k');
    expectClose(main?.estimate, reference.main.estimate, 1e-6, 'estimate');
    expectClose(main?.ci, reference.main.ci, 1e-6, 'ci');
    expectClose(main?.p, reference.main.p, 1e-6, 'p');
    expectClose(main?.Q, reference.main.Q, 1e-6, 'Q');
    expectClose(main?.I2_Q, reference.main.I2, 1e-6, 'I2');
  });

  it('matches an independent R computation of the robustness line (REML, Hartung-Knapp, prediction interval)', () => {
    const robustness = recovery('robustness');
    expectClose(robustness?.estimate, reference.robustness.estimate, 1e-6, 'estimate');
    expectClose(robustness?.ci, reference.robustness.ci, 1e-6, 'ci');
    expectClose(robustness?.pi, reference.robustness.pi, 1e-6, 'pi');
    expectClose(robustness?.p, reference.robustness.p, 1e-6, 'p');
  });

  it('never pools studies outside the review scope (individual or mixed format)', () => {
    const outOfScope = new Set(batch.studies.filter((s) => !s.inScope).map((s) => s.id));
    expect(outOfScope.size).toBeGreaterThan(0);
    for (const analysis of analyses) {
      for (const study of analysis.studies) expect(outOfScope.has(study.studyId)).toBe(false);
    }
  });
});
