/**
 * The store's ports: what the use cases (ingest, screening, alerts, analysis, publishing) need from persistence.
 * One DynamoDB adapter implements them all (./dynamo.ts); every write is a single-item (conditional) write so the
 * same code runs on dynalite, which has no transactions and no streams.
 */
import type { BibRecord, SourceName } from '#shared/records/record.ts';

export type DedupKeyKind = 'pmid' | 'doi' | 'nct' | 'title';

export interface DedupKey {
  kind: DedupKeyKind;
  value: string;
}

/** One source's copy of a record. The surviving (canonical) record is the copy whose canonicalId is its own id. */
export interface StoredCopy {
  id: string;
  source: SourceName;
  canonicalId: string;
  /** The key that folded this copy into canonicalId; absent on the surviving copy. */
  matchedKey?: DedupKey;
  record: BibRecord;
  /** Hash of the record as imported: an identical re-import writes nothing. */
  contentHash: string;
  /** The update cycle that first identified this copy (PRISMA per cycle). */
  cycle: string;
  importedAt: string;
  /** Surviving records only: part of the dual-screening sample. */
  dual: boolean;
  /** The ingest batch that last wrote this copy (first stored it, or replaced it with new content). */
  batch?: string;
}

export type Stage = 'title-abstract' | 'full-text';
export const STAGES: readonly Stage[] = ['title-abstract', 'full-text'];
export type DecisionValue = 'include' | 'exclude' | 'maybe';
export const DECISION_VALUES: readonly DecisionValue[] = ['include', 'exclude', 'maybe'];

/** A screening decision. Never updated or deleted: a revision is a new decision with the next revision number. */
export interface Decision {
  recordId: string;
  stage: Stage;
  reviewer: string;
  decision: DecisionValue;
  reason?: string;
  /** The reviewer's note with the decision (what they saw, what to check), kept with it. */
  note?: string;
  decidedAt: string;
  /** 1 for the reviewer's first decision on this record and stage, then 2, 3... for each --revise. */
  revision: number;
}

/** A registration (NCT id) and a record or PMID that belongs to the same study candidate. */
export interface TrialLink {
  nctId: string;
  /** "record:<canonical id>" or "pmid:<pmid>" (a PMID a registration cites, maybe not imported yet). */
  member: string;
  via: 'registration' | 'databank' | 'ctgov-reference';
  linkedAt: string;
}

export interface RecordStore {
  getCopies(ids: readonly string[]): Promise<Map<string, StoredCopy>>;
  /** Current holder (canonical record id) of each key that is claimed, by keyString(key). */
  getClaims(keys: readonly DedupKey[]): Promise<Map<string, string>>;
  /** Claims the key for canonicalId unless already held; returns the holder after the attempt. */
  claimKey(key: DedupKey, canonicalId: string): Promise<string>;
  /** Moves a claim from one holder to another, only if `from` still holds it. */
  repointClaim(key: DedupKey, from: string, to: string): Promise<void>;
  /** Writes a copy unless one with the same id exists; false when it already existed. */
  putCopy(copy: StoredCopy): Promise<boolean>;
  /** Replaces a copy only if its stored contentHash is still `expectedHash`; false otherwise. */
  replaceCopy(copy: StoredCopy, expectedHash: string): Promise<boolean>;
  setDual(id: string): Promise<void>;
  copiesOf(canonicalId: string): Promise<StoredCopy[]>;
  listCopies(): Promise<StoredCopy[]>;
  /** Adds the link unless present; false when it was already there. */
  addTrialLink(link: TrialLink): Promise<boolean>;
  /** Registrations (NCT ids) whose references cite this PMID. */
  trialsCitingPmid(pmid: string): Promise<string[]>;
  listTrialLinks(): Promise<TrialLink[]>;
}

export interface ScreeningStore {
  decisionsFor(recordId: string): Promise<Decision[]>;
  /** Appends unless the reviewer already has this revision for the record and stage; false in that case. */
  appendDecision(decision: Decision): Promise<boolean>;
  listDecisions(): Promise<Decision[]>;
}

export interface WatermarkStore {
  getWatermark(source: string): Promise<string | undefined>;
  setWatermark(source: string, lastSuccess: string): Promise<void>;
}

export interface AlertLog {
  /**
   * Claims the alert with this key; false when it was claimed before. With an owner (an ingest batch), the same
   * owner may claim it again: a batch resumed after a crash tells what it had claimed, no more, no less.
   */
  claimAlert(key: string, sentAt: string, owner?: string): Promise<boolean>;
  alertSent(key: string): Promise<boolean>;
  /** Forgets a claim whose alert could not be sent, so the next poll sends it. */
  releaseAlert(key: string): Promise<void>;
}

/** The change one record of a batch is about to make, written before the copy (see docs/store.md). */
export interface BatchEntry {
  batch: string;
  /** Index of the record in the batch as it came in: outcomes, the dual sample and the digest follow it. */
  position: number;
  id: string;
  /** A new copy found to be a duplicate: the survivor and the key that matched, decided before any claim. */
  match?: { canonicalId: string; key: DedupKey };
  /** Set when the entry replaces a stored copy: what it was, so the change can be told after a crash. */
  replaces?: {
    contentHash: string;
    registry?: { status: string; hasResults: boolean };
    retracted: boolean;
  };
}

/** What a batch tells the team, stored before it is sent so that a resumed batch sends the same. */
export interface BatchAlert {
  date: string;
  /** An ingest batch's digest (shared/alerts/digest.ts), as JSON. */
  digest?: unknown;
  /** A single alert sent once per key (a shortfall, an analysis change): a batch without records. */
  message?: { date: string; subject: string; markdown: string };
}

/** One ingest batch (an import, a poll's records): open until its records are linked, flagged and alerted. */
export interface BatchHead {
  id: string;
  /** What the batch was: "import ris", "poll pubmed"... */
  label: string;
  cycle: string;
  dualFraction: number;
  createdAt: string;
  /** Whether the batch owes the team a digest, and how to compose it. */
  alert?: { keywords: string[]; top?: number };
  /** The run working on the batch now, and when it last said so (see RunSession). */
  session?: string;
  heartbeatAt?: string;
  /** Every record of the batch was staged (its copy and journal entry written, or found stored). */
  stagedAt?: string;
  /** Links, retraction notes and dual flags are written: the batch's outcome is fixed from here on. */
  settledAt?: string;
  digest?: BatchAlert;
  /** The run sending the digest (claimed before sending), and when the digest was sent. */
  sendingBy?: string;
  sendingAt?: string;
  sentAt?: string;
  doneAt?: string;
}

export interface IngestJournal {
  /** Writes the head unless the batch exists; returns the stored head either way. */
  openBatch(head: BatchHead): Promise<BatchHead>;
  getBatch(id: string): Promise<BatchHead | undefined>;
  /** Batches not done yet: one query on a partition that holds only unfinished batches. */
  openBatches(): Promise<BatchHead[]>;
  /**
   * Notes that `session` works on the batch now, unless the batch is done or another run took it over since it was
   * read (its session is no longer `readSession`); false then.
   */
  touchBatch(id: string, session: string, at: string, readSession: string | undefined): Promise<boolean>;
  putBatchEntry(entry: BatchEntry): Promise<void>;
  /** The batch's entries in position order. */
  batchEntries(id: string): Promise<BatchEntry[]>;
  markBatchStaged(id: string, at: string): Promise<void>;
  markBatchSettled(id: string, at: string): Promise<void>;
  /** Stores the digest unless one is stored; returns the stored one. */
  setBatchDigest(id: string, digest: BatchAlert): Promise<BatchAlert>;
  /**
   * Claims the sending of the digest for `session`: true unless it was sent, or another run claimed it at or
   * after `staleBefore` (that run may still be sending).
   */
  claimBatchSend(id: string, session: string, at: string, staleBefore: string): Promise<boolean>;
  /** Gives up a claim to send (sending failed), so the next run sends. */
  releaseBatchSend(id: string, session: string): Promise<void>;
  markBatchSent(id: string, at: string): Promise<void>;
  /** Deletes the entries, then marks the batch done (it leaves the unfinished partition); false if it was done. */
  closeBatch(id: string, at: string): Promise<boolean>;
}

/** Typed JSON documents (studies, outcome rows...) defined elsewhere; the store only needs a kind and an id. */
export interface StoredDocument<T = unknown> {
  kind: string;
  id: string;
  body: T;
  updatedAt: string;
}

export interface DocumentStore {
  putDocument(document: StoredDocument): Promise<void>;
  getDocument(kind: string, id: string): Promise<StoredDocument | undefined>;
  listDocuments(kind: string): Promise<StoredDocument[]>;
}

export interface AnalysisVersion<T = unknown> {
  version: number;
  hash: string;
  createdAt: string;
  body: T;
}

export interface AnalysisStore {
  /** Writes a new version; false when that version number is already taken. */
  putAnalysisVersion(version: AnalysisVersion): Promise<boolean>;
  latestAnalysisVersion(): Promise<AnalysisVersion | undefined>;
  listAnalysisVersions(): Promise<AnalysisVersion[]>;
}

export interface PublishEntry {
  publishedAt: string;
  analysisVersion: number;
  location: string;
  details?: Record<string, unknown>;
}

export interface PublishLog {
  appendPublish(entry: PublishEntry): Promise<void>;
  listPublishes(): Promise<PublishEntry[]>;
}

/** When included data (included records, studies, outcome rows, retractions) last changed. */
export interface ChangeMarker {
  markIncludedDataChanged(at: string, reason: string): Promise<void>;
  includedDataChangedAt(): Promise<string | undefined>;
}

export type Store = RecordStore &
  IngestJournal &
  ScreeningStore &
  WatermarkStore &
  AlertLog &
  DocumentStore &
  AnalysisStore &
  PublishLog &
  ChangeMarker;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function keyString(key: DedupKey): string {
  return `${key.kind}#${key.value}`;
}
