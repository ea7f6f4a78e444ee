/**
 * What each function does to the review table, as plain data: the DynamoDB actions its code path calls through
 * shared/store/dynamo.ts, the indexes it queries, and for every write the partition keys (pk values, `*` matching
 * any text) it writes. ProjectFunction.useReviewTable turns one entry into IAM statements: reads on the table and
 * the named indexes only, writes on the table under a dynamodb:LeadingKeys condition, so (for example) the
 * publisher can add an analysis version but cannot touch a record, and nothing may Scan or BatchWriteItem.
 *
 * Each entry follows the handler → use case → DynamoStore methods (docs/store.md lists the request behind each):
 *   pollers     pollSource: getWatermark (Get); ingest: getCopies/getClaims (BatchGet), claimKey (conditional Put,
 *               then Get), repointClaim/setDual (Update), putCopy/replaceCopy/addTrialLink (Put),
 *               decisionsFor/trialsCitingPmid (Query on the table), markIncludedDataChanged (Put); alerts:
 *               claimAlert (Put), getCopies (BatchGet), releaseAlert (Delete); setWatermark (Put). No index.
 *   reanalyse   loadEvidence: listCopies/listDecisions/listTrialLinks/listDocuments (Query gsi1, then Query on
 *               BODY#<sha256> for a large body), the current extraction parts (getDocument: Get),
 *               latestAnalysisVersion (Query, and its body's chunks), putAnalysisVersion (Put of a large body's
 *               chunks under BODY#<sha256>, then the conditional Put), claimAlert/releaseAlert for a changed
 *               conclusion (Put/Delete).
 *   publish     the reanalysis above when no version exists yet, then listAnalysisVersions (Query),
 *               listDocuments/listCopies/listDecisions/listTrialLinks (Query gsi1), getWatermark (Get),
 *               appendPublish (Put).
 *   screening   queue and status: listCopies/listDecisions/listTrialLinks (Query gsi1), getWatermark (Get);
 *               a decision: getCopies (BatchGet), decisionsFor (Query), appendDecision (Put on REC#<id>),
 *               markIncludedDataChanged (Put).
 *   workbench   the pages run the CLI's use cases, so its access is theirs together (shared/web/):
 *               reading: the status, queue, record and study pages list on gsi1 and Get watermarks, documents
 *               and the latest version (as the screening API and the reanalysis read);
 *               a decision: as the screening API; one at full text, and every change below, then reanalyses and
 *               publishes (as publish);
 *               an import of records: ingest and completeAbandonedBatches, as a poll writes, but no watermark (a
 *               file moves no source's window);
 *               outcome data (an import or the extraction form): importStudyData ingests the file's studies that
 *               no report names (a poll's writes again), puts an extraction-part document per study (a large one's
 *               body first as BODY# chunks), then the file's extraction-file pointer and the marker;
 *               a study merged or a report moved: a study-event document and the marker.
 *               So it may write the documents of those three kinds, and no other kind (the review binding, say).
 *   import-upload  importFile (shared/uploads/import-file.ts) as the workbench runs it: for a record file ingest
 *               as the pollers run it, less the watermark; for outcome data importStudyData (getDocument/putDocument
 *               of the extraction file pointer and its parts, a large part's body chunks, then the candidates'
 *               ingest) and the reanalysis; then getDocument/putDocument of its own result (DOC#upload#<key>).
 *   seed        seedReview: ingest of the published review's reports (no alert), appendDecision (Put on REC#<id>),
 *               recordStudyEvent (getDocument/putDocument DOC#study-event#*), importStudyData as above; then the
 *               reanalysis and publishing.
 * The survivor index (gsi2, copiesOf) is queried by no deployed function. Documents are written by the workbench,
 * the import of uploads and the seed only (and the CLI's study and extraction verbs), each only the kinds its use
 * cases write; the chunks of a large body (BODY#*) by those three and the two functions that write analysis versions.
 */
import { EXTRACTION_FILE_KIND, EXTRACTION_PART_KIND } from '#shared/extraction/document-store.ts';
import { itemKeys } from '#shared/store/dynamo.ts';
import type { DedupKey } from '#shared/store/ports.ts';
import { KIND_INDEX } from '#shared/store/table.ts';
import { STUDY_EVENT_KIND } from '#shared/studies/events.ts';
import { UPLOAD_RESULT_KIND } from '#shared/uploads/kinds.ts';

export type ReadAction = 'dynamodb:GetItem' | 'dynamodb:BatchGetItem' | 'dynamodb:Query';
export type WriteAction =
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem';

export interface ReviewTableAccess {
  /** Reads by key on the table itself. */
  read: readonly ReadAction[];
  /** Indexes it queries (dynamodb:Query on <table>/index/<name> only). */
  indexes: readonly string[];
  /** Each write action with the partition keys it may write (IAM StringLike patterns over pk). */
  write: Readonly<Partial<Record<WriteAction, readonly string[]>>>;
}

const ANY = '*';

/** The partition keys, built from the adapter's own key functions so the policy follows the key layout. */
export const PARTITIONS = {
  record: itemKeys.copy(ANY).pk,
  claim: itemKeys.claim({ kind: ANY as DedupKey['kind'], value: ANY }).pk,
  trial: itemKeys.trialLink({ nctId: ANY, member: ANY }).pk,
  pmidReference: itemKeys.pmidReference(ANY, ANY).pk,
  watermark: itemKeys.watermark(ANY).pk,
  alert: itemKeys.alert(ANY).pk,
  analysis: itemKeys.analysis(0).pk,
  publish: itemKeys.publish({
    publishedAt: ANY,
    analysisVersion: 0,
    location: ANY,
    details: { written: 0, unchanged: 0, removed: 0 },
  }).pk,
  marker: itemKeys.marker().pk,
  body: itemKeys.bodyChunk(ANY, 0).pk,
  batch: itemKeys.batchHead(ANY).pk,
  studyEvent: itemKeys.document(STUDY_EVENT_KIND, ANY).pk,
  extractionPart: itemKeys.document(EXTRACTION_PART_KIND, ANY).pk,
  extractionFile: itemKeys.document(EXTRACTION_FILE_KIND, ANY).pk,
  uploadResult: itemKeys.document(UPLOAD_RESULT_KIND, ANY).pk,
} as const;

const {
  record,
  claim,
  trial,
  pmidReference,
  watermark,
  alert,
  analysis,
  publish,
  marker,
  body,
  batch,
  studyEvent,
  extractionPart,
  extractionFile,
  uploadResult,
} = PARTITIONS;

type Writes = ReviewTableAccess['write'];

/** The writes of several use cases together: each action's partitions, once each. */
function allWrites(...writes: Writes[]): Writes {
  const merged: Partial<Record<WriteAction, string[]>> = {};
  for (const write of writes) {
    for (const [action, partitions] of Object.entries(write) as [WriteAction, readonly string[]][]) {
      merged[action] = [...new Set([...(merged[action] ?? []), ...partitions])];
    }
  }
  return merged;
}

/** The reanalysis use case's access; publishing runs it too when there is no version yet. */
const REANALYSE: ReviewTableAccess = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  indexes: [KIND_INDEX],
  // A large version's body goes to BODY#<sha256> chunks before the version itself (shared/store/large-body.ts);
  // a changed conclusion's alert is stored in a batch head (BATCH#alert-…) before it is sent, once.
  write: {
    'dynamodb:PutItem': [analysis, body, alert, batch],
    'dynamodb:UpdateItem': [alert, batch],
    'dynamodb:DeleteItem': [alert],
  },
};

/** What ingest writes (a poll, an import), watermarks aside. */
const INGEST_WRITE = {
  'dynamodb:PutItem': [record, claim, trial, pmidReference, alert, marker, batch],
  'dynamodb:UpdateItem': [record, claim, alert, batch],
  'dynamodb:DeleteItem': [alert],
  // A closed batch's journal entries are deleted 25 at a time; nothing else is batch-written.
  'dynamodb:BatchWriteItem': [batch],
} as const;

/** Every partition an import of outcome data writes (importStudyData), on top of its candidates' ingest. */
const EXTRACTION_DOCUMENTS = [extractionFile, extractionPart] as const;

export const TABLE_ACCESS = {
  poll: {
    read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
    // Open ingest batches are listed on the kind index (KIND#batch-open) so a dead run's batch is completed.
    indexes: [KIND_INDEX],
    write: allWrites(INGEST_WRITE, { 'dynamodb:PutItem': [watermark] }),
  },
  reanalyse: REANALYSE,
  publish: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    indexes: [KIND_INDEX],
    write: {
      ...REANALYSE.write,
      'dynamodb:PutItem': [...(REANALYSE.write['dynamodb:PutItem'] ?? []), publish],
    },
  },
  screening: {
    read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
    indexes: [KIND_INDEX],
    // A decision lives under its record's partition (REC#<id>, sort key DEC#...): IAM cannot tell it from the
    // record's copy by partition, so the API may put under REC#*, but never update or delete anything.
    write: { 'dynamodb:PutItem': [record, marker] },
  },
  workbench: {
    read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
    indexes: [KIND_INDEX],
    write: allWrites(
      // Ingest of an uploaded file, or of a data file's new candidate studies: a poll's writes, no watermark.
      INGEST_WRITE,
      // Decisions (REC#<id>) and the marker, as the screening API.
      { 'dynamodb:PutItem': [record, marker] },
      // Outcome data and study changes: their documents (a large one's body chunks first), then the marker.
      { 'dynamodb:PutItem': [extractionPart, extractionFile, studyEvent, body, marker] },
      // The reanalysis and publishing that follow a change.
      REANALYSE.write,
      { 'dynamodb:PutItem': [publish] },
    ),
  },
  // A large upload's import: ingest or outcome data and the reanalysis, and its own result document. It never
  // publishes (the stream trigger publishes a new version) and never moves a watermark.
  importUpload: {
    read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
    indexes: [KIND_INDEX],
    write: allWrites(INGEST_WRITE, REANALYSE.write, {
      'dynamodb:PutItem': [...EXTRACTION_DOCUMENTS, uploadResult],
    }),
  },
  // The baseline of a fresh deployment: its reports' ingest, the authors' decisions (Put under REC#<id>, as
  // ingest's copies are), their study events, the data files, then the reanalysis and publishing.
  seed: {
    read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
    indexes: [KIND_INDEX],
    write: allWrites(INGEST_WRITE, REANALYSE.write, {
      'dynamodb:PutItem': [...EXTRACTION_DOCUMENTS, studyEvent, publish],
    }),
  },
} as const satisfies Record<string, ReviewTableAccess>;

/** What Powertools idempotency (DynamoDBPersistenceLayer) calls on its own table, and nothing else. */
export const IDEMPOTENCY_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;
