import type { OutcomeRow, Study } from './model.ts';

/**
 * What importing extraction data needs from storage. Rows are written per study as one set, so a re-import
 * replaces a study's rows instead of leaving rows the corrected file no longer has; a document store can keep
 * each study's rows as one document. The import validates the whole file before its first write.
 */
export interface ExtractionStore {
  putStudies(studies: readonly Study[]): Promise<void>;
  /** Makes `rows` the complete set of outcome rows of the study. */
  putStudyRows(studyId: string, rows: readonly OutcomeRow[]): Promise<void>;
  listStudies(): Promise<Study[]>;
  listOutcomeRows(): Promise<OutcomeRow[]>;
}
