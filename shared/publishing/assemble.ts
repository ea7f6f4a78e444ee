/**
 * Puts the whole page together from what the store holds: the latest analysis version and its history, the
 * included studies and their data, the screening record (PRISMA, exclusions), each source's last search, and the
 * review's baseline. Pure: the use case reads the store and passes everything in. The same inputs give the same
 * model, apart from `lastChecked`, which is when the cycle looked.
 */

import { overallRiskOfBias } from '#shared/analysis/plan.ts';
import type { AnalysisBody } from '#shared/analysis/reanalyse.ts';
import { writeExtractionCsv } from '#shared/extraction/csv.ts';
import { isArmRow, type OutcomeRow, ROB1_DOMAINS, type Study } from '#shared/extraction/model.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import type { PrismaCounts, PrismaReport } from '#shared/screening/prisma.ts';
import type { RecordView } from '#shared/screening/view.ts';
import { BASELINE_CYCLE } from '#shared/seed.ts';
import type { AnalysisVersion } from '#shared/store/ports.ts';
import {
  alternativeRowsOf,
  findingRowsOf,
  forestPlotsOf,
  methodLabel,
  narrativeLinesOf,
  type PublishedFinding,
  subgroupAnalysesOf,
} from './from-analysis.ts';
import type { BiasJudgement, IncludedStudy, PageModel, PrismaCycle, VersionEntry } from './model.ts';

export interface PageInputs {
  review: ReviewConfig;
  /** Oldest first; the last one is the version the page shows. */
  versions: AnalysisVersion<AnalysisBody>[];
  studies: Study[];
  rows: OutcomeRow[];
  prisma: PrismaReport;
  records: RecordView[];
  lastSearched: { pubmed?: string; ctgov?: string };
  lastChecked: string;
  siteUrl?: string;
}

const ROB1_LABELS: Record<(typeof ROB1_DOMAINS)[number], string> = {
  randomSequenceGeneration: 'Random sequence generation',
  allocationConcealment: 'Allocation concealment',
  blindingOfParticipantsAndPersonnel: 'Blinding of participants and personnel',
  blindingOfOutcomeAssessment: 'Blinding of outcome assessment',
  incompleteOutcomeData: 'Incomplete outcome data',
  selectiveReporting: 'Selective reporting',
  otherBias: 'Other bias',
};

const COMPARATOR_LABELS: Record<string, string> = {
  tau: 'TAU',
  'wait-list': 'Wait-list',
  active: 'Active',
  other: 'Other inactive',
};

/** The published review's Table 2, as the summary of findings shows it beside each living result. */
export function publishedFindings(review: ReviewConfig): PublishedFinding[] {
  return review.baseline.published.map((row) => ({
    outcome: row.outcome,
    timepoint: row.timepoint,
    followUp: row.followUp,
    values: {
      k: row.trials,
      n: row.n,
      measure: row.measure,
      estimate: row.estimate,
      ci: row.ci,
      p: row.p,
      I2_Q: row.i2,
      Q: row.chi2,
      Q_df: row.df,
    },
  }));
}

/** Baseline trials first (the published review's eight), then studies the living review added, by label. */
function includedStudies(
  review: ReviewConfig,
  studies: readonly Study[],
  rows: readonly OutcomeRow[],
): IncludedStudy[] {
  const withData = new Set(rows.filter(isArmRow).map((row) => row.studyId));
  const labelWithData = new Set(studies.filter((s) => withData.has(s.id)).map((s) => s.label));
  const covered = new Set<string>();
  const entry = (study: Study, dataStatus: string, citation?: string): IncludedStudy => ({
    label: study.label,
    ...(citation ? { citation } : {}),
    category: study.characteristics.interventionCategory ?? 'Not reported',
    structured: study.characteristics.structured,
    comparator:
      study.characteristics.comparators.map((c) => COMPARATOR_LABELS[c] ?? c).join(', ') || 'Not reported',
    severeMentalHealthConditions: study.characteristics.severeMentalHealthConditions,
    country: study.characteristics.country ?? 'Not reported',
    nRandomised: study.characteristics.nRandomised,
    dataStatus,
    ...(study.inScope ? {} : { notPooledReason: study.scopeReason }),
  });
  const baseline = review.baseline.trials.map((trial) => {
    const extracted = trial.metapsyLabels.filter((label) => labelWithData.has(label));
    for (const label of [trial.study.label, ...trial.metapsyLabels]) covered.add(label);
    const status =
      extracted.length > 0 ? `Outcome data extracted (${extracted.join(', ')})` : 'Awaiting extracted data';
    return entry(trial.study, status, trial.citation);
  });
  const added = studies
    .filter((study) => !covered.has(study.label))
    .sort((a, b) => a.label.localeCompare(b.label))
    .map((study) =>
      entry(study, withData.has(study.id) ? 'Outcome data extracted' : 'Awaiting extracted data'),
    );
  return [...baseline, ...added];
}

function riskOfBias(review: ReviewConfig, studies: readonly Study[]): PageModel['riskOfBias'] {
  const byLabel = new Map<string, Study>();
  for (const trial of review.baseline.trials) byLabel.set(trial.study.label, trial.study);
  const covered = new Set(review.baseline.trials.flatMap((trial) => trial.metapsyLabels));
  for (const study of studies)
    if (study.inScope && !covered.has(study.label) && !byLabel.has(study.label))
      byLabel.set(study.label, study);
  return {
    domains: ROB1_DOMAINS.map((id) => ({ id, label: ROB1_LABELS[id] })),
    studies: [...byLabel.values()].flatMap((study) => {
      const overall = overallRiskOfBias(study);
      if (!overall) return [];
      const judgements: Record<string, BiasJudgement> = {};
      for (const domain of ROB1_DOMAINS) {
        const rating = study.riskOfBias.rob1?.[domain]?.rating;
        if (rating) judgements[domain] = rating;
      }
      return [{ study: study.label, judgements, overall }];
    }),
  };
}

function prismaCycle(label: string, cycle: string, counts: PrismaCounts, review: ReviewConfig): PrismaCycle {
  const reasonLabel = (code: string) =>
    review.eligibility.reasons.find((r) => r.code === code)?.label ?? code;
  return {
    label,
    searchedUntil: cycle,
    identified: [
      { source: 'PubMed', n: counts.identified.pubmed },
      { source: 'ClinicalTrials.gov', n: counts.identified.ctgov },
      ...(counts.identified.ris > 0 ? [{ source: 'Imported files (RIS)', n: counts.identified.ris }] : []),
    ],
    duplicatesRemoved: counts.duplicatesRemoved,
    screened: counts.screened,
    excludedAtScreening: counts.excludedTitleAbstract,
    fullTextsAssessed: counts.fullTextAssessed,
    excludedAtFullText: counts.excludedFullText.total,
    fullTextExclusionReasons: Object.entries(counts.excludedFullText.byReason)
      .map(([code, n]) => ({ reason: reasonLabel(code), n }))
      .sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason)),
    studiesIncluded: counts.includedStudies,
    reportsIncluded: counts.included,
  };
}

function history(versions: readonly AnalysisVersion<AnalysisBody>[]): VersionEntry[] {
  return [...versions]
    .sort((a, b) => b.version - a.version)
    .map((v) => ({
      version: `v${v.version}`,
      time: v.createdAt,
      hash: v.hash,
      changes:
        v.body.changes.length > 0
          ? v.body.changes.map((c) => `${c.outcome} (${c.timepoint}, ${c.analysis}): ${c.description}`)
          : [
              v.version === 1
                ? 'First version of the living analysis'
                : `Re-run (${v.body.reason}) with unchanged conclusions`,
            ],
      material: v.body.changes.some((c) => c.material),
    }));
}

/** The analysis JSON exactly as `living-review analyse --json` prints it. */
export function analysisJson(version: AnalysisVersion<AnalysisBody>): string {
  const { analyses, changes } = version.body;
  return `${JSON.stringify({ version: version.version, hash: version.hash, createdAt: version.createdAt, analyses, changes }, null, 2)}\n`;
}

export function assemblePageModel(inputs: PageInputs): PageModel {
  const { review } = inputs;
  const latest = inputs.versions.at(-1);
  if (!latest) throw new Error('there is no analysis version to publish yet');
  const { analyses } = latest.body;
  const excluded = inputs.records
    .filter((view) => view.screening.status === 'excluded-full-text')
    .map((view) => {
      const code = view.screening.fullText?.reason;
      const reason =
        review.eligibility.reasons.find((r) => r.code === code)?.label ?? code ?? 'Reason not recorded';
      return { label: view.record.title, reason };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  // The published review's own records have their PRISMA counts in the baseline box already.
  const cycles = Object.entries(inputs.prisma.cycles)
    .filter(([cycle]) => cycle !== BASELINE_CYCLE)
    .sort(([a], [b]) => a.localeCompare(b));
  return {
    review: { id: review.id, title: review.title, citation: review.citation, maintainer: review.maintainer },
    ...(inputs.siteUrl ? { siteUrl: inputs.siteUrl } : {}),
    version: `v${latest.version}`,
    hash: latest.hash,
    generatedAt: latest.createdAt,
    lastChecked: inputs.lastChecked,
    sources: [
      { source: 'PubMed', lastSearched: inputs.lastSearched.pubmed ?? null },
      { source: 'ClinicalTrials.gov', lastSearched: inputs.lastSearched.ctgov ?? null },
    ],
    methodNote: `Main analysis as the 2021 review: ${methodLabel(review.plan.main)}, RevMan 5 formulas; pooled only with at least ${review.plan.reporting.minimumTrialsToPool} trials. Positive effects favour peer support.`,
    findings: findingRowsOf(analyses, publishedFindings(review)),
    forestPlots: forestPlotsOf(analyses),
    narratives: narrativeLinesOf(analyses),
    alternativeAnalyses: alternativeRowsOf(analyses),
    subgroups: subgroupAnalysesOf(analyses),
    prisma: {
      baseline: review.baseline.prisma,
      updates: cycles.map(([cycle, counts], i) =>
        prismaCycle(`Update ${i + 1} (${cycle})`, cycle, counts, review),
      ),
    },
    includedStudies: includedStudies(review, inputs.studies, inputs.rows),
    excludedStudies: excluded,
    riskOfBias: riskOfBias(review, inputs.studies),
    history: history(inputs.versions),
    downloads: {
      analysisJson: analysisJson(latest),
      dataCsv: writeExtractionCsv(inputs.studies, inputs.rows.filter(isArmRow)),
    },
  };
}
