/**
 * What people (and the published review) decided about studies as units, beyond screening decisions on reports:
 * which study a report belongs to, which studies are one, and whether a study's data are usable. Append-only: a
 * change is a new event, never an edit, so the history of every study can be shown and nothing is lost.
 */
import type { DocumentStore } from '#shared/store/ports.ts';
import { contentHash } from '#shared/text/content-hash.ts';

export const STUDY_EVENT_KIND = 'study-event';

interface EventBase {
  /** When and by whom; `by` is a reviewer, "import: <file>" or the published review's authors. */
  at: string;
  by: string;
  reason: string;
}

/** The report (a surviving record) belongs to this study; a later assignment of the same report moves it. */
export interface AssignReport extends EventBase {
  action: 'assign';
  recordId: string;
  studyId: string;
  label: string;
}

/** Study `studyId` is the same trial as `into`: its reports and data count for `into` from now on. */
export interface MergeStudies extends EventBase {
  action: 'merge';
  studyId: string;
  into: string;
}

/**
 * Whether an included study's data can be used for meta-analysis, as a review judged it (the published review
 * naming a trial that "provided no usable data", or the team overriding that with a recorded decision).
 */
export interface JudgeData extends EventBase {
  action: 'judge-data';
  studyId: string;
  usable: boolean;
}

export type StudyEvent = AssignReport | MergeStudies | JudgeData;

/** A stable id: recording the same event twice (a re-run seed, a retried request) stores it once. */
export function studyEventId(event: StudyEvent): string {
  return `${event.at}#${contentHash(event).slice(0, 16)}`;
}

export async function recordStudyEvent(store: DocumentStore, event: StudyEvent): Promise<boolean> {
  const id = studyEventId(event);
  if (await store.getDocument(STUDY_EVENT_KIND, id)) return false;
  await store.putDocument({ kind: STUDY_EVENT_KIND, id, body: event, updatedAt: event.at });
  return true;
}

/** Oldest first; events at the same moment in id order, so replaying them is deterministic. */
export async function listStudyEvents(store: DocumentStore): Promise<StudyEvent[]> {
  const documents = await store.listDocuments(STUDY_EVENT_KIND);
  return documents
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((document) => document.body as StudyEvent);
}
