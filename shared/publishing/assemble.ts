/**
 * Puts the whole page together from what the store holds: the latest analysis version and its history, the
 * included studies and their data, the screening record (PRISMA, exclusions), each source's last search, and the
 * review's baseline. Pure: the use case reads the store and passes everything in. The same inputs give the same
 * model, apart from `lastChecked`, which is when the cycle looked.
 */

import type { AnalysisBody } from '#shared/analysis/reanalyse.ts';
import { heterogeneityLabel } from '#shared/analysis/reporting.ts';
import type { AnalysisEntry } from '#shared/analysis/run-plan.ts';
import { valueLabel } from '#shared/extraction/characteristics.ts';
import { writeExtractionCsv } from '#shared/extraction/csv.ts';
import { isArmRow, type OutcomeRow, type Study } from '#shared/extraction/model.ts';
import type { SourceName } from '#shared/records/record.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { type PrismaCounts, prismaCounts } from '#shared/screening/prisma.ts';
import type { RecordView } from '#shared/screening/view.ts';
import { BASELINE_CYCLE } from '#shared/seed.ts';
import type { AnalysisVersion, StoredCopy } from '#shared/store/ports.ts';
import type { StudyUnit } from '#shared/studies/units.ts';
import {
  alternativeRowsOf,
  findingRowsOf,
  forestPlotsOf,
  methodLabel,
  narrativeLinesOf,
  outcomeLabel,
  type PublishedFinding,
  subgroupAnalysesOf,
  timepointLabel,
} from './from-analysis.ts';
import type { IncludedStudy, PageModel, PrismaCycle, PrismaFlow, VersionEntry } from './model.ts';
import { plotResultsRiskOfBias, studyRiskOfBias } from './rob-model.ts';

export interface PageInputs {
  review: ReviewConfig;
  /** Oldest first; the last one is the version the page shows. */
  versions: AnalysisVersion<AnalysisBody>[];
  studies: Study[];
  rows: OutcomeRow[];
  /** Every stored copy (PRISMA counts what each cycle identified, duplicates included). */
  copies: StoredCopy[];
  records: RecordView[];
  /** The review's studies as units, with their inclusion status (`shared/studies/units.ts`). */
  units: StudyUnit[];
  lastSearched: { pubmed?: string; ctgov?: string };
  lastChecked: string;
  siteUrl?: string;
}

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
      ...(row.pAsPrinted ? { pAsPrinted: row.pAsPrinted } : {}),
      I2_Q: row.i2,
      Q: row.chi2,
      Q_df: row.df,
      ...(heterogeneityLabel(row.i2, review.plan.reporting)
        ? { heterogeneityLabel: heterogeneityLabel(row.i2, review.plan.reporting) as string }
        : {}),
    },
  }));
}

/**
 * The study record that describes a unit: its data's (already given the published review's coding where it coded
 * the trial, `withBaselineCoding`), else the published review's own record of the trial.
 */
function describingStudy(
  review: ReviewConfig,
  unit: StudyUnit,
  studies: readonly Study[],
): Study | undefined {
  const data = studies.find((study) => unit.dataStudyIds.includes(study.id));
  return data ?? review.baseline.trials.find((t) => t.study.id === unit.id)?.study;
}

function inclusionText(unit: StudyUnit): string {
  const inclusion = unit.inclusion;
  if (!inclusion) return '';
  if (unit.baseline) return inclusion.basis;
  return `included at full text by ${inclusion.by.join(' and ')} (${inclusion.at.slice(0, 10)})`;
}

function dataStatusOf(unit: StudyUnit, rows: readonly OutcomeRow[]): string {
  const own = rows.filter((row) => unit.dataStudyIds.includes(row.studyId));
  if (own.length === 0) return 'Included, awaiting data';
  const documents = [...new Set(own.map((row) => row.provenance.document))].sort().join(', ');
  return own.some(isArmRow)
    ? `Outcome data extracted (${documents})`
    : `Outcome data extracted, none usable for arm-level pooling (${documents})`;
}

/** Why an included study is in no pool: the reasons the main analyses give, or that its data are narrative only. */
function notPooledReason(unit: StudyUnit, analyses: readonly AnalysisEntry[]): string {
  const mains = analyses.filter((entry) => entry.analysis === 'main');
  if (mains.some((entry) => entry.studies.some((study) => study.study === unit.label)))
    return 'reported narratively: too few trials with usable data for any of its outcomes';
  const reasons = new Set(
    mains.flatMap((entry) =>
      (entry.notPooled ?? []).filter((n) => n.study === unit.label).map((n) => n.reason),
    ),
  );
  const general = [...reasons].filter(
    (r) => r !== 'outcome not measured' && r !== 'not measured at this timepoint',
  );
  if (general.length > 0) return general.join('; ');
  return reasons.size > 0 ? 'no usable data for any outcome the review analyses' : 'included, awaiting data';
}

/** Baseline trials first (the published review's, in its order), then studies the living review included. */
function includedStudies(
  review: ReviewConfig,
  inputs: PageInputs,
  pooled: ReadonlySet<string>,
  analyses: readonly AnalysisEntry[],
): IncludedStudy[] {
  const order = new Map(review.baseline.trials.map((trial, i) => [trial.study.id, i]));
  const included = inputs.units
    .filter((unit) => unit.status === 'included')
    .sort(
      (a, b) =>
        (order.get(a.id) ?? order.size) - (order.get(b.id) ?? order.size) || a.label.localeCompare(b.label),
    );
  return included.map((unit) => {
    const trial = review.baseline.trials.find((t) => t.study.id === unit.id);
    const c = describingStudy(review, unit, inputs.studies)?.characteristics;
    return {
      label: unit.label,
      ...(trial ? { citation: trial.citation } : {}),
      characteristics: review.extraction.characteristics.map((spec) => {
        const value = c?.coded[spec.id] ?? null;
        return value === null ? null : valueLabel(spec, value);
      }),
      comparator: c?.comparators.map((x) => COMPARATOR_LABELS[x] ?? x).join(', ') || 'Not reported',
      country: c?.country ?? 'Not reported',
      nRandomised: c?.nRandomised ?? null,
      inclusion: inclusionText(unit),
      dataStatus: dataStatusOf(unit, inputs.rows),
      ...(pooled.has(unit.label) ? {} : { notPooledReason: notPooledReason(unit, analyses) }),
    };
  });
}

function stageText(unit: StudyUnit, records: readonly RecordView[]): string {
  const views = records.filter((view) => unit.reports.includes(view.id));
  const atFullText = views.some((view) => view.screening.status === 'full-text');
  const stage = atFullText ? 'awaiting full-text decision' : 'awaiting title/abstract screening';
  const data = unit.dataStudyIds.length > 0 ? '; outcome data exist for this study, not yet assessed' : '';
  return `${stage}${data}`;
}

function listedStudies(inputs: PageInputs, review: ReviewConfig) {
  const viewOf = new Map(inputs.records.map((view) => [view.id, view]));
  const awaiting = inputs.units
    .filter((unit) => unit.status === 'awaiting-classification')
    .map((unit) => ({ label: unit.label, status: stageText(unit, inputs.records) }));
  const retracted = inputs.units
    .filter((unit) => unit.status === 'included' && unit.retractedReports.length > 0)
    .map((unit) => ({
      label: unit.label,
      status: `${unit.retractedReports.map((id) => `retracted: "${viewOf.get(id)?.record.title ?? id}" (${id})`).join('; ')}; ${
        review.plan.retractedStudies === 'exclude'
          ? 'removed from every analysis'
          : 'kept in the analyses with a flag'
      }`,
    }));
  const ongoing = inputs.units
    .filter((unit) => unit.status !== 'excluded')
    .flatMap((unit) => {
      const registrations = unit.reports
        .map((id) => viewOf.get(id)?.record)
        .filter((record) => record?.registry && !record.registry.hasResults);
      if (registrations.length === 0 || registrations.length < unit.reports.length) return [];
      return [
        {
          label: unit.label,
          status: registrations
            .map(
              (record) =>
                `${record?.nctIds[0] ?? record?.id}: ${record?.registry?.status.toLowerCase()}, no results posted`,
            )
            .join('; '),
        },
      ];
    });
  return { awaiting, retracted, ongoing };
}

/**
 * Each included study with the tool it was assessed with, and for each forest plot the result-level RoB 2 of
 * the pooled results of the studies shown with RoB 2, where their source rated results.
 */
function riskOfBias(
  review: ReviewConfig,
  inputs: PageInputs,
  analyses: readonly AnalysisEntry[],
): PageModel['riskOfBias'] {
  const included = inputs.units.filter((unit) => unit.status === 'included');
  const studies = included.flatMap((unit) => {
    const assessed = describingStudy(review, unit, inputs.studies);
    const records = inputs.studies.filter(
      (study) => unit.dataStudyIds.includes(study.id) && study !== assessed,
    );
    const shown = assessed ? studyRiskOfBias(unit.label, assessed, records) : null;
    return shown ? [shown] : [];
  });
  const dataStudyIdsOf = (label: string) => included.find((unit) => unit.label === label)?.dataStudyIds ?? [];
  return { studies, results: plotResultsRiskOfBias(analyses, inputs.rows, dataStudyIdsOf, studies) };
}

/** PRISMA 2020's two routes to new studies: databases and registers, and other methods (here: data sources). */
type Route = 'databases-registers' | 'other';
const routeOf = (source: SourceName): Route => (source === 'data' ? 'other' : 'databases-registers');

const SOURCE_LABELS: Record<SourceName, string> = {
  pubmed: 'PubMed (database)',
  ctgov: 'ClinicalTrials.gov (register)',
  ris: 'Imported database exports (RIS)',
  data: 'Outcome data sources (studies with data, not yet assessed)',
};

const ALWAYS_LISTED: readonly SourceName[] = ['pubmed', 'ctgov'];

/**
 * Studies the living review included, counted in the update cycle and route of their earliest report, so that
 * the baseline's studies plus every update's add up to the included list.
 */
function studiesIncludedBy(units: readonly StudyUnit[], records: readonly RecordView[]): Map<string, number> {
  const viewOf = new Map(records.map((view) => [view.id, view]));
  const counts = new Map<string, number>();
  for (const unit of units) {
    if (unit.status !== 'included' || unit.baseline) continue;
    const first = unit.reports
      .map((id) => viewOf.get(id))
      .filter((view): view is RecordView => view !== undefined)
      .sort((a, b) => a.cycle.localeCompare(b.cycle) || a.importedAt.localeCompare(b.importedAt))[0];
    if (!first) continue;
    const key = `${first.cycle}|${routeOf(first.record.source)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Imported exports counted per database, as PRISMA 2020 lists each database searched. */
function byDatabase(counts: PrismaCounts): { source: string; n: number }[] {
  return Object.entries(counts.identifiedByDatabase)
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([database, n]) => ({
      source: database ? `${database} (database, imported)` : SOURCE_LABELS.ris,
      n,
    }));
}

function flowOf(
  route: Route,
  counts: PrismaCounts,
  review: ReviewConfig,
  studiesIncluded: number,
): PrismaFlow {
  const reasonLabel = (code: string) =>
    review.eligibility.reasons.find((r) => r.code === code)?.label ?? code;
  return {
    // The searched databases and registers are listed even when they found nothing this cycle.
    identified: (Object.keys(SOURCE_LABELS) as SourceName[])
      .filter(
        (source) =>
          routeOf(source) === route && (counts.identified[source] > 0 || ALWAYS_LISTED.includes(source)),
      )
      .flatMap((source) =>
        source === 'ris'
          ? byDatabase(counts)
          : [{ source: SOURCE_LABELS[source], n: counts.identified[source] }],
      ),
    duplicatesRemoved: counts.duplicatesRemoved,
    screened: counts.screened,
    excludedAtScreening: counts.excludedTitleAbstract,
    awaitingScreening: counts.awaitingScreening,
    reportsSought: counts.fullTextAssessed + counts.awaitingFullText,
    awaitingFullText: counts.awaitingFullText,
    fullTextsAssessed: counts.fullTextAssessed,
    excludedAtFullText: counts.excludedFullText.total,
    fullTextExclusionReasons: Object.entries(counts.excludedFullText.byReason)
      .map(([code, n]) => ({ reason: reasonLabel(code), n }))
      .sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason)),
    studiesIncluded,
    reportsIncluded: counts.included,
  };
}

/** Every update cycle's PRISMA counts, each split into its two routes; the baseline's own records left out. */
function prismaUpdates(inputs: PageInputs): PrismaCycle[] {
  const included = studiesIncludedBy(inputs.units, inputs.records);
  const cycles = [...new Set(inputs.copies.map((copy) => copy.cycle))]
    .filter((cycle) => cycle !== BASELINE_CYCLE)
    .sort();
  return cycles.map((cycle, i) => {
    const countsOf = (route: Route) =>
      prismaCounts(
        inputs.copies.filter((copy) => copy.cycle === cycle && routeOf(copy.source) === route),
        inputs.records.filter((view) => view.cycle === cycle && routeOf(view.record.source) === route),
      );
    const other = countsOf('other');
    return {
      label: `Update ${i + 1} (${cycle})`,
      searchedUntil: cycle,
      ...flowOf(
        'databases-registers',
        countsOf('databases-registers'),
        inputs.review,
        included.get(`${cycle}|databases-registers`) ?? 0,
      ),
      ...(other.identified.total > 0
        ? { otherMethods: flowOf('other', other, inputs.review, included.get(`${cycle}|other`) ?? 0) }
        : {}),
    };
  });
}

/** "Recovery, post-intervention" for the main analysis; other analyses say which they are, in words. */
function changeHeading(change: { outcome: string; timepoint: string; analysis: string }): string {
  const where = `${outcomeLabel(change.outcome)}, ${timepointLabel(change.timepoint).toLowerCase()}`;
  if (change.analysis === 'main') return where;
  const [kind, name = ''] = change.analysis.split(':');
  const words = name.replace(/-/g, ' ');
  const analysis =
    kind === 'studies'
      ? `the ${words} only`
      : kind === 'robustness'
        ? 'robustness analysis'
        : `${kind} analysis (${words})`;
  return `${where}, ${analysis}`;
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
          ? v.body.changes.map((c) => `${changeHeading(c)}: ${c.description}`)
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

function dataSourcesOf(inputs: PageInputs): PageModel['dataSources'] {
  const studies = new Map<string, Set<string>>();
  for (const unit of inputs.units.filter((u) => u.status === 'included')) {
    for (const row of inputs.rows.filter((r) => unit.dataStudyIds.includes(r.studyId))) {
      const document = row.provenance.document;
      studies.set(document, (studies.get(document) ?? new Set()).add(unit.label));
    }
  }
  return [...studies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([document, labels]) => ({
      document,
      description:
        inputs.review.dataSources.find((source) => source.document === document)?.description ??
        'outcome data entered by the review team',
      studies: [...labels].sort(),
    }));
}

/** The outcome data of the included studies, each row with its source document and row (provenance). */
function includedDataCsv(inputs: PageInputs, review: ReviewConfig): string {
  const dataIds = new Set(
    inputs.units.filter((unit) => unit.status === 'included').flatMap((unit) => unit.dataStudyIds),
  );
  return writeExtractionCsv(
    inputs.studies.filter((study) => dataIds.has(study.id)),
    inputs.rows.filter(isArmRow).filter((row) => dataIds.has(row.studyId)),
    review.extraction.characteristics,
  );
}

/** Which effect-size formulas the main analysis used, in words. */
function formulasOf(main: ReviewConfig['plan']['main']): string {
  if (main.profile === 'revman') return 'RevMan 5 formulas';
  return `metafor formulas (Hedges' g, ${main.smdVariance === 'LS2' ? 'variance with the uncorrected d (vtype LS2)' : 'large-sample variance'})`;
}

export function assemblePageModel(inputs: PageInputs): PageModel {
  const { review } = inputs;
  const latest = inputs.versions.at(-1);
  if (!latest) throw new Error('there is no analysis version to publish yet');
  const { analyses } = latest.body;
  const favours = {
    negative: `Favours ${review.labels.control}`,
    positive: `Favours ${review.labels.intervention}`,
  };
  const pooled = new Set(
    analyses.filter((entry) => entry.pooled).flatMap((entry) => entry.studies.map((study) => study.study)),
  );
  const listed = listedStudies(inputs, review);
  const excluded = inputs.records
    .filter((view) => view.screening.status === 'excluded-full-text')
    .map((view) => {
      const code = view.screening.fullText?.reason;
      const reason =
        review.eligibility.reasons.find((r) => r.code === code)?.label ?? code ?? 'Reason not recorded';
      return { label: view.record.title, reason };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  return {
    review: {
      id: review.id,
      title: review.title,
      citation: review.citation,
      maintainer: review.maintainer,
      question: review.question,
      publishedReview: review.baseline.label,
      intervention: review.labels.intervention,
    },
    favours,
    characteristics: review.extraction.characteristics.map((spec) => spec.label),
    ...(inputs.siteUrl ? { siteUrl: inputs.siteUrl } : {}),
    version: `v${latest.version}`,
    hash: latest.hash,
    generatedAt: latest.createdAt,
    lastChecked: inputs.lastChecked,
    sources: [
      { source: 'PubMed', lastSearched: inputs.lastSearched.pubmed ?? null },
      { source: 'ClinicalTrials.gov', lastSearched: inputs.lastSearched.ctgov ?? null },
    ],
    methodNote: `Main analysis as the ${review.baseline.label}: ${methodLabel(review.plan.main)}, ${formulasOf(review.plan.main)}; pooled only with at least ${review.plan.reporting.minimumTrialsToPool} trials. Positive effects favour ${review.labels.intervention}.`,
    findings: findingRowsOf(analyses, publishedFindings(review)),
    forestPlots: forestPlotsOf(analyses, favours),
    narratives: narrativeLinesOf(analyses),
    alternativeAnalyses: alternativeRowsOf(analyses),
    subgroups: subgroupAnalysesOf(analyses),
    prisma: { baseline: review.baseline.prisma, updates: prismaUpdates(inputs) },
    includedStudies: includedStudies(review, inputs, pooled, analyses),
    excludedStudies: excluded,
    awaitingClassification: listed.awaiting,
    ongoingStudies: listed.ongoing,
    retractedStudies: listed.retracted,
    pooledStudies: [...pooled].sort(),
    dataSources: dataSourcesOf(inputs),
    riskOfBias: riskOfBias(review, inputs, analyses),
    history: history(inputs.versions),
    downloads: {
      analysisJson: analysisJson(latest),
      dataCsv: includedDataCsv(inputs, review),
    },
  };
}
