/**
 * The extraction store on the project's document store. An import is visible all at once or not at all: each of
 * its studies (with the study's outcome rows) is written as a part named by the import's content hash, and only then
 * does one write, the file's pointer, switch the file over to the new import. A run killed before that write leaves
 * parts nobody reads; the analysis never sees half a file. Re-importing the same content writes nothing.
 *
 * A study held by several files takes its data from the file imported last, so a corrected file replaces the
 * study's rows (stale rows do not linger) and a second source for a study replaces the first.
 */

import type { ChangeMarker, Clock, DocumentStore } from '#shared/store/ports.ts';
import { contentHash } from '#shared/text/content-hash.ts';
import type { OutcomeRow, Study } from './model.ts';
import type { ExtractionImport, ExtractionStore } from './ports.ts';

/** The current import of one file: which parts make it up. */
export const EXTRACTION_FILE_KIND = 'extraction-file';
/** One study of one import, with its outcome rows. */
export const EXTRACTION_PART_KIND = 'extraction-part';
/** Stores written before imports were atomic: a study, and a study's rows. Read when no import covers the study. */
export const STUDY_KIND = 'study';
export const OUTCOME_ROWS_KIND = 'outcome-rows';

interface FilePointer {
  document: string;
  importId: string;
  importedAt: string;
  studyIds: string[];
}

interface Part {
  study: Study;
  rows: OutcomeRow[];
}

const partId = (pointer: Pick<FilePointer, 'document' | 'importId'>, studyId: string) =>
  `${pointer.document}#${pointer.importId}#${studyId}`;

export function documentExtractionStore(store: DocumentStore & ChangeMarker, clock: Clock): ExtractionStore {
  /** For each study, the pointer of the file imported last that holds it. */
  async function currentPointers(): Promise<Map<string, FilePointer>> {
    const pointers = (await store.listDocuments(EXTRACTION_FILE_KIND))
      .map((document) => document.body as FilePointer)
      .sort((a, b) => a.importedAt.localeCompare(b.importedAt) || a.document.localeCompare(b.document));
    const byStudy = new Map<string, FilePointer>();
    for (const pointer of pointers) for (const studyId of pointer.studyIds) byStudy.set(studyId, pointer);
    return byStudy;
  }

  async function currentParts(): Promise<Part[]> {
    const byStudy = await currentPointers();
    const parts = await Promise.all(
      [...byStudy].map(async ([studyId, pointer]) => {
        const part = await store.getDocument(EXTRACTION_PART_KIND, partId(pointer, studyId));
        if (!part)
          throw new Error(
            `extraction data of ${studyId} from ${pointer.document} are missing from the store`,
          );
        return part.body as Part;
      }),
    );
    // Studies stored before imports were atomic, where no import has replaced them.
    const [legacyStudies, legacyRows] = await Promise.all([
      store.listDocuments(STUDY_KIND),
      store.listDocuments(OUTCOME_ROWS_KIND),
    ]);
    const rowsOf = new Map(legacyRows.map((document) => [document.id, document.body as OutcomeRow[]]));
    for (const document of legacyStudies) {
      if (byStudy.has(document.id)) continue;
      parts.push({ study: document.body as Study, rows: rowsOf.get(document.id) ?? [] });
    }
    return parts;
  }

  return {
    async putImport(batch: ExtractionImport) {
      const importId = contentHash({ studies: batch.studies, rows: batch.rows }).slice(0, 16);
      const existing = await store.getDocument(EXTRACTION_FILE_KIND, batch.document);
      if ((existing?.body as FilePointer | undefined)?.importId === importId) return false;
      const at = clock.now().toISOString();
      const pointer: FilePointer = {
        document: batch.document,
        importId,
        importedAt: at,
        studyIds: batch.studies.map((study) => study.id),
      };
      for (const study of batch.studies) {
        const part: Part = { study, rows: batch.rows.filter((row) => row.studyId === study.id) };
        await store.putDocument({
          kind: EXTRACTION_PART_KIND,
          id: partId(pointer, study.id),
          body: part,
          updatedAt: at,
        });
      }
      // The one write that makes the whole import visible.
      await store.putDocument({
        kind: EXTRACTION_FILE_KIND,
        id: batch.document,
        body: pointer,
        updatedAt: at,
      });
      await store.markIncludedDataChanged(at, `extraction data from ${batch.document} changed`);
      return true;
    },
    async listData() {
      const parts = await currentParts();
      return { studies: parts.map((part) => part.study), rows: parts.flatMap((part) => part.rows) };
    },
  };
}
