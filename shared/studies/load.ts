/**
 * Reads what the evidence chain is built from (records and their decisions, study events, extracted data) and
 * builds the review's studies. The one place that turns the store into study units, so the analysis, the page and
 * the CLI agree on which studies are included.
 */
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import type { OutcomeRow, Study } from '#shared/extraction/model.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { loadReview, type ReviewSnapshot } from '#shared/screening/view.ts';
import type { ChangeMarker, Clock, DocumentStore, RecordStore, ScreeningStore } from '#shared/store/ports.ts';
import { listStudyEvents, type StudyEvent } from './events.ts';
import { buildStudyUnits, type StudyUnit } from './units.ts';

export interface Evidence {
  snapshot: ReviewSnapshot;
  events: StudyEvent[];
  units: StudyUnit[];
  /** Extracted studies and their outcome rows, included or not. */
  studies: Study[];
  rows: OutcomeRow[];
}

export type EvidenceStore = RecordStore & ScreeningStore & DocumentStore & ChangeMarker;

export function studyInputsBaseline(review: ReviewConfig) {
  return {
    trials: review.baseline.trials,
    includedBy: review.baseline.decision.by,
    decidedAt: review.baseline.decision.at,
  };
}

export async function loadEvidence(
  review: ReviewConfig,
  store: EvidenceStore,
  clock: Clock,
): Promise<Evidence> {
  const extraction = documentExtractionStore(store, clock);
  const [snapshot, events, { studies, rows }] = await Promise.all([
    loadReview(store, review.eligibility.fullTextSecondReview),
    listStudyEvents(store),
    extraction.listData(),
  ]);
  const units = buildStudyUnits({
    records: snapshot.records,
    events,
    baseline: studyInputsBaseline(review),
    dataStudies: studies.map((study) => ({ id: study.id, label: study.label })),
  });
  return { snapshot, events, units, studies, rows };
}
