/**
 * What a review's living version starts from, put into the store: the reports the published review included
 * (ingested in their own "baseline" cycle, marked included by the published review's authors and grouped into its
 * trials, so PRISMA updates count only what came after) and the extracted outcome data, whose studies the review
 * never assessed become screening candidates. Every step is idempotent, so every cycle can run it.
 */

import type { Notifier } from '#shared/alerts/notifier.ts';
import type { ExtractionFormat } from '#shared/extraction/import.ts';
import { ingest } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { type Clock, STAGES, type Store } from '#shared/store/ports.ts';
import { recordStudyEvent } from '#shared/studies/events.ts';
import { importStudyData } from '#shared/studies/import-data.ts';

/** The ingest cycle of the published review's own records; PRISMA updates leave it out. */
export const BASELINE_CYCLE = 'baseline';

export interface ReviewSeed {
  /** The published review's included reports, each with the id of the baseline trial it reports. */
  included?: { studyId: string; record: BibRecord }[];
  /** The review's data files, imported in order. */
  extractions?: {
    text: string;
    format: ExtractionFormat;
    document: string;
    /** Citations of the data source's studies by label, for the candidates' records. */
    citations?: Record<string, string>;
  }[];
}

export interface SeedSummary {
  newIncludedRecords: number;
  decisionsAdded: number;
  /** Studies with data that the review never assessed, queued for screening this time. */
  candidatesQueued: string[];
}

async function includeBaselineReports(
  review: ReviewConfig,
  ports: { store: Store; clock: Clock },
  reports: NonNullable<ReviewSeed['included']>,
  summary: SeedSummary,
) {
  const { by, at } = review.baseline.decision;
  const result = await ingest(
    reports.map((report) => report.record),
    ports,
    { cycle: BASELINE_CYCLE, dualFraction: 0, label: 'seed baseline' },
  );
  summary.newIncludedRecords = result.new.length;
  const copies = await ports.store.getCopies(reports.map((report) => report.record.id));
  for (const { studyId, record } of reports) {
    const recordId = copies.get(record.id)?.canonicalId ?? record.id;
    for (const stage of STAGES) {
      const decision = {
        recordId,
        stage,
        reviewer: by,
        decision: 'include' as const,
        decidedAt: at,
        revision: 1,
      };
      if (await ports.store.appendDecision(decision)) summary.decisionsAdded += 1;
    }
    const label = review.baseline.trials.find((trial) => trial.study.id === studyId)?.study.label ?? studyId;
    await recordStudyEvent(ports.store, {
      action: 'assign',
      recordId,
      studyId,
      label,
      by,
      at,
      reason: `a report of ${label} as the published review cites it`,
    });
  }
  if (summary.decisionsAdded > 0)
    await ports.store.markIncludedDataChanged(ports.clock.now().toISOString(), 'baseline records included');
}

export async function seedReview(
  review: ReviewConfig,
  ports: { store: Store; clock: Clock; notifier?: Notifier },
  seed: ReviewSeed,
): Promise<SeedSummary> {
  const summary: SeedSummary = { newIncludedRecords: 0, decisionsAdded: 0, candidatesQueued: [] };
  if (seed.included) await includeBaselineReports(review, ports, seed.included, summary);
  for (const extraction of seed.extractions ?? []) {
    summary.candidatesQueued.push(...(await importStudyData(review, ports, extraction)).candidatesQueued);
  }
  return summary;
}
