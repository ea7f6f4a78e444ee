/**
 * Importing outcome data for studies: the data are stored whole (validated first), and every study in them that the
 * review has not assessed becomes a screening candidate. Nothing here includes a study: its data are pooled only
 * once the team (or the published review) includes it.
 */
import type { Notifier } from '#shared/alerts/notifier.ts';
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { type ExtractionFormat, type ImportSummary, importExtraction } from '#shared/extraction/import.ts';
import type { RunSession } from '#shared/records/ingest.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import type { Clock, Store } from '#shared/store/ports.ts';
import { queueDataCandidates } from './candidates.ts';
import { loadEvidence } from './load.ts';

export interface StudyDataInput {
  text: string;
  format: ExtractionFormat | string;
  /** The file's name, recorded as the provenance of every value. */
  document: string;
  /** Citations of the file's studies by label, where the source has them (Metapsy's references.json). */
  citations?: Readonly<Record<string, string>>;
  /** The update cycle candidates count in (default: today's UTC date). */
  cycle?: string;
}

export interface StudyDataSummary extends ImportSummary {
  /** Record ids of the candidates this import queued for screening (none when all were known). */
  candidatesQueued: string[];
  /** Labels of the file's studies the review has not included (yet), so their data are not pooled. */
  notIncluded: string[];
}

export async function importStudyData(
  review: ReviewConfig,
  ports: { store: Store; clock: Clock; notifier?: Notifier; session?: RunSession },
  input: StudyDataInput,
): Promise<StudyDataSummary> {
  const summary = await importExtraction(input.text, input.format, {
    store: documentExtractionStore(ports.store, ports.clock),
    config: review.extraction,
    document: input.document,
  });
  const evidence = await loadEvidence(review, ports.store, ports.clock);
  const candidatesQueued = await queueDataCandidates(evidence.studies, evidence.units, ports, {
    document: input.document,
    // Ingest's own default: records identified today belong to today's (UTC) update cycle.
    cycle: input.cycle ?? ports.clock.now().toISOString().slice(0, 10),
    dualFraction: review.eligibility.dualFraction,
    keywords: review.eligibility.keywords,
    ...(input.citations ? { citations: input.citations } : {}),
  });
  const inFile = new Set(summary.studyIds);
  const notIncluded = evidence.units
    .filter((unit) => unit.status !== 'included' && unit.dataStudyIds.some((id) => inFile.has(id)))
    .map((unit) => unit.label);
  return { ...summary, candidatesQueued, notIncluded };
}
