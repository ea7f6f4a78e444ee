/**
 * A PageModel whose analysis parts are REAL: the Metapsy peer-support file (test/fixtures/metapsy/data.csv) read
 * with the review's extraction configuration and run through the review's analysis plan, beside the 2021 review's
 * published Table 2, with each study's risk of bias (RoB 1 of the 2021 review's trials, Metapsy's RoB 2 of the
 * others). The rest of the page (PRISMA updates, history) comes from the test fixture, and one excluded study
 * carries an injection-shaped name to prove escaping on a real page.
 */
import { type AnalysisEntry, runPlan } from '#shared/analysis/run-plan.ts';
import { valueLabel } from '#shared/extraction/characteristics.ts';
import { readMetapsy } from '#shared/extraction/metapsy.ts';
import type { OutcomeRow, Study } from '#shared/extraction/model.ts';
import { publishedFindings } from '#shared/publishing/assemble.ts';
import {
  alternativeRowsOf,
  findingRowsOf,
  forestPlotsOf,
  narrativeLinesOf,
  subgroupAnalysesOf,
} from '#shared/publishing/from-analysis.ts';
import type { IncludedStudy, PageModel, RiskOfBiasSummary } from '#shared/publishing/model.ts';
import { plotResultsRiskOfBias, studyRiskOfBias } from '#shared/publishing/rob-model.ts';
import {
  analysisPlan,
  groupPeerSupportExtraction,
  groupPeerSupportOutcomeMap,
  groupPeerSupportReview,
} from '#test/support/group-peer-support.ts';
import { metapsyText } from './extraction-fixtures.ts';
import { HOSTILE_STUDY, pageModelFixture } from './page-model.ts';

export interface MetapsyAnalysis {
  studies: Study[];
  rows: OutcomeRow[];
  hash: string;
  analyses: AnalysisEntry[];
}

export function metapsyAnalysis(): MetapsyAnalysis {
  const batch = readMetapsy(metapsyText(), { document: 'data.csv', config: groupPeerSupportExtraction });
  const reconcile = groupPeerSupportExtraction.reconcileStudy ?? ((study: Study) => study);
  const studies = batch.studies.map(reconcile);
  const { hash, analyses } = runPlan(
    analysisPlan,
    studies.filter((study) => study.inScope),
    batch.rows,
    { outcomeOrder: groupPeerSupportOutcomeMap.outcomes.map((outcome) => outcome.id) },
  );
  return { studies, rows: batch.rows, hash, analyses };
}

function includedStudy(study: Study): IncludedStudy {
  const { characteristics } = study;
  return {
    label: study.label,
    characteristics: groupPeerSupportExtraction.characteristics.map((spec) => {
      const value = characteristics.coded[spec.id] ?? null;
      return value === null ? null : valueLabel(spec, value);
    }),
    comparator: characteristics.comparators.join(', ') || 'Not reported',
    country: characteristics.country ?? 'Not reported',
    nRandomised: characteristics.nRandomised,
    inclusion: 'included for this test page',
    dataStatus: 'Outcome data from Metapsy',
    ...(study.inScope ? {} : { notPooledReason: study.scopeReason }),
  };
}

/** Each Metapsy study with its tool: RoB 1 from the 2021 review for its trials, RoB 2 from Metapsy otherwise. */
export function metapsyRiskOfBias({ studies, rows, analyses }: MetapsyAnalysis): RiskOfBiasSummary {
  const shown = studies.flatMap((study) => studyRiskOfBias(study.label, study) ?? []);
  const dataStudyIdsOf = (label: string) =>
    studies.filter((study) => study.label === label).map((study) => study.id);
  return { studies: shown, results: plotResultsRiskOfBias(analyses, rows, dataStudyIdsOf, shown) };
}

export function metapsyPageModel(): PageModel {
  const base = pageModelFixture();
  const analysis = metapsyAnalysis();
  const { studies, hash, analyses } = analysis;
  return {
    ...base,
    hash,
    methodNote:
      'Random effects, DerSimonian-Laird, inverse variance (RevMan 5 profile); pooled only with at least 3 trials. ' +
      'Computed from the Metapsy peer-support data; trials without extracted data are not yet included.',
    findings: findingRowsOf(analyses, publishedFindings(groupPeerSupportReview)),
    forestPlots: forestPlotsOf(analyses, base.favours),
    narratives: narrativeLinesOf(analyses),
    alternativeAnalyses: alternativeRowsOf(analyses),
    subgroups: subgroupAnalysesOf(analyses),
    includedStudies: studies.map(includedStudy),
    riskOfBias: metapsyRiskOfBias(analysis),
    excludedStudies: [
      ...base.excludedStudies,
      { label: HOSTILE_STUDY, reason: 'Test entry: a name shaped like markup' },
    ],
  };
}
