/**
 * The extraction store on the project's document store: a study per document, a study's outcome rows as one
 * document (so a re-import replaces the set). Writes happen only when content changed, and each change marks the
 * included data as changed, which is what triggers a reanalysis.
 */

import type { ChangeMarker, Clock, DocumentStore } from '#shared/store/ports.ts';
import { contentHash } from '#shared/text/content-hash.ts';
import type { OutcomeRow, Study } from './model.ts';
import type { ExtractionStore } from './ports.ts';

export const STUDY_KIND = 'study';
export const OUTCOME_ROWS_KIND = 'outcome-rows';

export function documentExtractionStore(store: DocumentStore & ChangeMarker, clock: Clock): ExtractionStore {
  async function putIfChanged(kind: string, id: string, body: unknown, reason: string): Promise<void> {
    const existing = await store.getDocument(kind, id);
    if (existing && contentHash(existing.body) === contentHash(body)) return;
    const at = clock.now().toISOString();
    await store.putDocument({ kind, id, body, updatedAt: at });
    await store.markIncludedDataChanged(at, reason);
  }
  return {
    async putStudies(studies) {
      for (const study of studies)
        await putIfChanged(STUDY_KIND, study.id, study, `study ${study.label} changed`);
    },
    async putStudyRows(studyId, rows) {
      await putIfChanged(OUTCOME_ROWS_KIND, studyId, rows, `outcome data of ${studyId} changed`);
    },
    async listStudies() {
      return (await store.listDocuments(STUDY_KIND)).map((document) => document.body as Study);
    },
    async listOutcomeRows() {
      return (await store.listDocuments(OUTCOME_ROWS_KIND)).flatMap(
        (document) => document.body as OutcomeRow[],
      );
    },
  };
}
