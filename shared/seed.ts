/**
 * What a review's living version starts from, put into the store: the reports the published review included
 * (ingested in their own "baseline" cycle and marked included by the published review's authors, so PRISMA updates
 * count only what came after) and the extracted outcome data. Every step is idempotent, so every cycle can run it.
 */

import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { type ExtractionFormat, importExtraction } from '#shared/extraction/import.ts';
import { ingest } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { type Clock, STAGES, type Store } from '#shared/store/ports.ts';

/** The ingest cycle of the published review's own records; PRISMA updates leave it out. */
export const BASELINE_CYCLE = 'baseline';

export interface ReviewSeed {
  included?: { records: BibRecord[]; includedBy: string; decidedAt: string };
  extraction?: { text: string; format: ExtractionFormat; document: string };
}

export interface SeedSummary {
  newIncludedRecords: number;
  decisionsAdded: number;
}

export async function seedReview(
  review: ReviewConfig,
  ports: { store: Store; clock: Clock },
  seed: ReviewSeed,
): Promise<SeedSummary> {
  const summary: SeedSummary = { newIncludedRecords: 0, decisionsAdded: 0 };
  if (seed.included) {
    const { records, includedBy, decidedAt } = seed.included;
    const result = await ingest(records, ports, {
      cycle: BASELINE_CYCLE,
      dualFraction: 0,
      label: 'seed baseline',
    });
    summary.newIncludedRecords = result.new.length;
    const copies = await ports.store.getCopies(records.map((record) => record.id));
    const survivors = new Set([...copies.values()].map((copy) => copy.canonicalId));
    for (const recordId of survivors) {
      for (const stage of STAGES) {
        const added = await ports.store.appendDecision({
          recordId,
          stage,
          reviewer: includedBy,
          decision: 'include',
          decidedAt,
          revision: 1,
        });
        if (added) summary.decisionsAdded += 1;
      }
    }
    if (summary.decisionsAdded > 0)
      await ports.store.markIncludedDataChanged(ports.clock.now().toISOString(), 'baseline records included');
  }
  if (seed.extraction) {
    await importExtraction(seed.extraction.text, seed.extraction.format, {
      store: documentExtractionStore(ports.store, ports.clock),
      config: review.extraction,
      document: seed.extraction.document,
    });
  }
  return summary;
}
