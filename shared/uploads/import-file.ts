/**
 * One import of a file the team brings, by what the file is: record files (RIS exports, PubMed XML,
 * ClinicalTrials.gov JSON) go through ingest as `living-review import` runs it (the review's dual-screening share,
 * the team told once of what is new), outcome-data files (the project CSV, the Metapsy format) through
 * `importStudyData` as `extract import` runs it, followed by the reanalysis. The workbench's small uploads and the
 * import of large uploads from S3 both call this, so a file is read and judged the same way whichever way it came.
 * A bad file is refused with an InputError naming the line (or row and column) before anything is stored.
 */
import type { Notifier } from '#shared/alerts/notifier.ts';
import { type ReanalyseResult, reanalyse } from '#shared/analysis/reanalyse.ts';
import { InputError } from '#shared/errors.ts';
import { completeAbandonedBatches, type IngestRun, ingest, type RunSession } from '#shared/records/ingest.ts';
import { RECORD_FILE_FORMATS, type RecordFileFormat, readRecordFile } from '#shared/records/read-file.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import type { Clock, Store } from '#shared/store/ports.ts';
import { importStudyData, type StudyDataSummary } from '#shared/studies/import-data.ts';

import { type ImportKind, isImportKind } from './kinds.ts';

export { IMPORT_KINDS, type ImportKind, isImportKind } from './kinds.ts';

const isRecordFormat = (kind: ImportKind): kind is ImportKind & RecordFileFormat =>
  (RECORD_FILE_FORMATS as readonly string[]).includes(kind);

export interface ImportFilePorts {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  /** Who works on an ingest batch; Lambdas sharing the table pass a leased session. */
  session?: RunSession;
}

export interface FileToImport {
  kind: ImportKind;
  bytes: Uint8Array;
  /** The file's name: named in messages and kept as the provenance of outcome data. */
  name: string;
  /** What the ingest batch is ("workbench import ris by ana"); also part of the batch's identity. */
  label: string;
  /**
   * Why the analysis re-ran after outcome data ("workbench import of data.csv"): shown in the published page's
   * version history, so it names the file, never the person.
   */
  reason: string;
}

export type FileImport =
  | { type: 'records'; read: number; ingest: IngestRun }
  | { type: 'data'; summary: StudyDataSummary; analysis: ReanalyseResult };

export async function importFile(
  review: ReviewConfig,
  ports: ImportFilePorts,
  file: FileToImport,
): Promise<FileImport> {
  const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  if (isRecordFormat(file.kind)) {
    const records = readRecordFile(file.kind, bytes, file.name);
    const result = await ingest(records, ports, {
      dualFraction: review.eligibility.dualFraction,
      label: file.label,
      alert: { keywords: review.eligibility.keywords },
    });
    // Whatever a killed run left that this import did not continue is completed too.
    await completeAbandonedBatches(ports);
    return { type: 'records', read: records.length, ingest: result };
  }
  if (!isImportKind(file.kind)) throw new InputError(`unknown kind of file: ${String(file.kind)}`);
  const summary = await importStudyData(review, ports, {
    text: bytes.toString('utf8'),
    format: file.kind,
    document: file.name,
  });
  const analysis = await reanalyse(review, ports, file.reason);
  return { type: 'data', summary, analysis };
}
