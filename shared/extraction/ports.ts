import type { OutcomeRow, Study } from './model.ts';

/** One validated file of extraction data: its studies and every outcome row of them. */
export interface ExtractionImport {
  /** The file's name; importing a file again replaces what it gave before. */
  document: string;
  studies: readonly Study[];
  rows: readonly OutcomeRow[];
}

/**
 * What importing extraction data needs from storage. An import is stored whole or not at all, and a study's rows
 * come from one import as a set, so a re-import replaces them instead of leaving rows the corrected file no longer
 * has. The import validates the whole file before it calls `putImport`.
 */
export interface ExtractionStore {
  /** Stores the import atomically; false when the file's current import has exactly this content. */
  putImport(batch: ExtractionImport): Promise<boolean>;
  /** Studies and rows from one read, so an import switching in meanwhile is seen whole or not at all. */
  listData(): Promise<{ studies: Study[]; rows: OutcomeRow[] }>;
}
