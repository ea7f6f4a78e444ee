/**
 * Importing a large upload once S3 says it arrived: read the object, run the same import as the workbench by the
 * kind in its key (importFile), and keep what happened as a document (kind `upload`, id the object key) that the
 * workbench lists: who uploaded it, when, the file's name, the counts (new, duplicates, already stored...), or the
 * message that refused it (nothing of a refused file is stored), and the analysis version after outcome data.
 *
 * Idempotent: S3 events may come more than once, and Lambda retries a failed run. An object whose result is stored
 * for the same content (its ETag) is not imported again; and the imports themselves store nothing twice. The same
 * key with other content (an upload form used twice) is imported again and its result replaces the first.
 */
import { InputError, messageOf } from '#shared/errors.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import type { Store } from '#shared/store/ports.ts';
import { type FileImport, type ImportFilePorts, importFile } from './import-file.ts';
import { type ImportKind, UPLOAD_RESULT_KIND } from './kinds.ts';
import { cleanFileName, decodeMetadata, parseUploadKey, UPLOAD_METADATA } from './upload-key.ts';

export { UPLOAD_RESULT_KIND } from './kinds.ts';

export interface UploadResult {
  key: string;
  /** The kind from the key; undefined when the key is not an upload's. */
  kind?: ImportKind;
  fileName: string;
  /** The uploader's stable id from the signed metadata; undefined when the object carries none. */
  uploadedBy?: string;
  /** When S3 stored the object. */
  uploadedAt: string;
  importedAt: string;
  /** The content that was imported (S3's ETag, quotes removed). */
  etag: string;
  size: number;
  outcome: 'imported' | 'refused';
  /** Why the file was refused: the message names the line, or the row and column. Nothing of it was stored. */
  message?: string;
  records?: {
    read: number;
    new: number;
    duplicates: number;
    alreadyStored: number;
    updated: number;
    linked: number;
  };
  data?: {
    studies: number;
    usableRows: number;
    precalculatedEffects: number;
    setAside: number;
    candidatesQueued: number;
    notIncluded: number;
    warnings: string[];
  };
  /** The analysis after outcome data were imported: its version, and whether this import made it. */
  analysis?: { version: number; created: boolean };
}

export interface UploadedObject {
  bytes: Uint8Array;
  etag: string;
  /** User metadata as S3 returns it: lower-case names without `x-amz-meta-`. */
  metadata: Record<string, string>;
}

export interface UploadNotice {
  key: string;
  /** The ETag the event names (the content that was uploaded then). */
  etag: string;
  size: number;
  /** When S3 stored it (the event's time). */
  time: string;
}

export interface ImportUploadPorts extends ImportFilePorts {
  /** Reads the object; undefined when it is gone (expired or deleted before it was imported). */
  read(key: string): Promise<UploadedObject | undefined>;
}

export interface ImportUploadOutcome {
  result: UploadResult;
  /** True when the result was stored already for this content: nothing was read or imported this time. */
  repeated: boolean;
}

export const unquotedEtag = (etag: string) => etag.replace(/^"|"$/g, '');

function counts(done: FileImport): Pick<UploadResult, 'records' | 'data' | 'analysis'> {
  if (done.type === 'records') {
    const { ingest } = done;
    return {
      records: {
        read: done.read,
        new: ingest.new.length,
        duplicates: ingest.duplicates.length,
        alreadyStored: ingest.unchanged.length,
        updated: ingest.updated.length,
        linked: ingest.linked.length,
      },
    };
  }
  const { summary, analysis } = done;
  return {
    data: {
      studies: summary.studies,
      usableRows: summary.usableRows,
      precalculatedEffects: summary.precalculatedEffects,
      setAside: summary.notUsable.length,
      candidatesQueued: summary.candidatesQueued.length,
      notIncluded: summary.notIncluded.length,
      warnings: summary.warnings,
    },
    analysis: { version: analysis.version, created: analysis.created },
  };
}

async function storedResult(store: Store, key: string): Promise<UploadResult | undefined> {
  return (await store.getDocument(UPLOAD_RESULT_KIND, key))?.body as UploadResult | undefined;
}

export async function importUpload(
  review: ReviewConfig,
  ports: ImportUploadPorts,
  notice: UploadNotice,
): Promise<ImportUploadOutcome> {
  const etag = unquotedEtag(notice.etag);
  const earlier = await storedResult(ports.store, notice.key);
  if (earlier?.etag === etag) return { result: earlier, repeated: true };

  const object = await ports.read(notice.key);
  // A late copy of an older event: what the object holds now counts, and it may be imported already (or gone).
  if (earlier && (!object || unquotedEtag(object.etag) === earlier.etag))
    return { result: earlier, repeated: true };

  let kind: ImportKind | undefined;
  let keyProblem: string | undefined;
  try {
    kind = parseUploadKey(notice.key).kind;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    keyProblem = error.message;
  }
  const uploadedBy = decodeMetadata(object?.metadata[UPLOAD_METADATA.uploadedBy]);
  const fileName =
    cleanFileName(decodeMetadata(object?.metadata[UPLOAD_METADATA.fileName])) ??
    `upload ${notice.key.split('/').at(-1)}`;
  const base = {
    key: notice.key,
    ...(kind ? { kind } : {}),
    fileName,
    ...(uploadedBy ? { uploadedBy } : {}),
    uploadedAt: notice.time,
    etag: object ? unquotedEtag(object.etag) : etag,
    size: object?.bytes.byteLength ?? notice.size,
  };
  const refused = (message: string): UploadResult => ({
    ...base,
    importedAt: ports.clock.now().toISOString(),
    outcome: 'refused',
    message,
  });

  let result: UploadResult;
  if (keyProblem || !kind) {
    result = refused(keyProblem ?? 'not an upload');
  } else if (!object) {
    result = refused(
      'the file is no longer in the upload bucket (expired or deleted before it was imported)',
    );
  } else if (!uploadedBy) {
    // Only the workbench's signed form names who uploaded; a file put there any other way is not imported.
    result = refused(
      `the upload carries no ${UPLOAD_METADATA.uploadedBy} metadata: upload files through the workbench`,
    );
  } else {
    try {
      const done = await importFile(review, ports, {
        kind,
        bytes: object.bytes,
        name: fileName,
        label: `upload ${kind} by ${uploadedBy}`,
        reason: `upload of ${fileName}`,
      });
      result = { ...base, importedAt: ports.clock.now().toISOString(), outcome: 'imported', ...counts(done) };
    } catch (error) {
      // A bad file is the uploader's to fix: its message is kept and the event is done. Anything else (the store
      // failing, say) propagates, so Lambda retries the event.
      if (!(error instanceof InputError)) throw error;
      result = refused(messageOf(error));
    }
  }
  await ports.store.putDocument({
    kind: UPLOAD_RESULT_KIND,
    id: notice.key,
    body: result,
    updatedAt: result.importedAt,
  });
  return { result, repeated: false };
}

/** The latest upload results, newest first, for the workbench. */
export async function recentUploads(store: Store, limit = 20): Promise<UploadResult[]> {
  return (await store.listDocuments(UPLOAD_RESULT_KIND))
    .map((document) => document.body as UploadResult)
    .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt) || a.key.localeCompare(b.key))
    .slice(0, limit);
}
