/** What a file the team imports can be, and the document kind of an upload's result: plain data, no use case. */
export const IMPORT_KINDS = ['ris', 'pubmed', 'ctgov', 'csv', 'metapsy'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const isImportKind = (value: unknown): value is ImportKind =>
  (IMPORT_KINDS as readonly unknown[]).includes(value);

/** The document that records a large upload's import (id: the object key). */
export const UPLOAD_RESULT_KIND = 'upload';
