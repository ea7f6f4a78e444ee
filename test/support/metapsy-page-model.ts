/**
 * A PageModel whose analysis parts are REAL: the Metapsy peer-support file (test/fixtures/metapsy/data.csv) read
 * with the review's extraction configuration and run through the review's analysis plan, beside the 2021 review's
 * published Table 2. The rest of the page (PRISMA updates, history, risk of bias) comes from the test fixture, and
 * one excluded study carries an injection-shaped name to prove escaping on a real page.
 */
import { type AnalysisEntry, runPlan } from '#shared/analysis/run-plan.ts';
import { readMetapsy } from '#shared/extraction/metapsy.ts';
import type { Study } from '#shared/extraction/model.ts';
import { publishedFindings } from '#shared/publishing/assemble.ts';
import {
  alternativeRowsOf,
  findingRowsOf,
  forestPlotsOf,
  narrativeLinesOf,
  subgroupAnalysesOf,
} from '#shared/publishing/from-analysis.ts';
import type { IncludedStudy, PageModel } from '#shared/publishing/model.ts';
import { analysisPlan } from '#shared/review/group-peer-support/analysis-plan.ts';
import { groupPeerSupportReview } from '#shared/review/group-peer-support/index.ts';
import {
  groupPeerSupportExtraction,
  groupPeerSupportOutcomeMap,
} from '#shared/review/group-peer-support/outcomes.ts';
import { metapsyText } from './extraction-fixtures.ts';
import { HOSTILE_STUDY, pageModelFixture } from './page-model.ts';

export interface MetapsyAnalysis {
  studies: Study[];
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
  return { studies, hash, analyses };
}

function includedStudy(study: Study): IncludedStudy {
  const { characteristics } = study;
  return {
    label: study.label,
    category: characteristics.interventionCategory ?? 'Not reported',
    structured: characteristics.structured,
    comparator: characteristics.comparators.join(', ') || 'Not reported',
    severeMentalHealthConditions: characteristics.severeMentalHealthConditions,
    country: characteristics.country ?? 'Not reported',
    nRandomised: characteristics.nRandomised,
    inclusion: 'included for this test page',
    dataStatus: 'Outcome data from Metapsy',
    ...(study.inScope ? {} : { notPooledReason: study.scopeReason }),
  };
}

export function metapsyPageModel(): PageModel {
  const base = pageModelFixture();
  const { studies, hash, analyses } = metapsyAnalysis();
  return {
    ...base,
    hash,
    methodNote:
      'Random effects, DerSimonian-Laird, inverse variance (RevMan 5 profile); pooled only with at least 3 trials. ' +
      'Computed from the Metapsy peer-support data; trials without extracted data are not yet included.',
    findings: findingRowsOf(analyses, publishedFindings(groupPeerSupportReview)),
    forestPlots: forestPlotsOf(analyses),
    narratives: narrativeLinesOf(analyses),
    alternativeAnalyses: alternativeRowsOf(analyses),
    subgroups: subgroupAnalysesOf(analyses),
    includedStudies: studies.map(includedStudy),
    excludedStudies: [
      ...base.excludedStudies,
      { label: HOSTILE_STUDY, reason: 'Test entry: a name shaped like markup' },
    ],
  };
}
