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
  /** Records that an alert with this key was sent; false when it had been sent before. */
  claimAlert(key: string, sentAt: string): Promise<boolean>;
  alertSent(key: string): Promise<boolean>;
  /** Forgets a claim whose alert could not be sent, so the next poll sends it. */
  releaseAlert(key: string): Promise<void>;
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
