import { InputError } from '#shared/errors.ts';
import { readExtractionCsv } from './csv.ts';
import { readMetapsy } from './metapsy.ts';
import type { ExtractionBatch } from './model.ts';
import type { ExtractionConfig } from './outcome-map.ts';
import type { ExtractionStore } from './ports.ts';

export const EXTRACTION_FORMATS = ['metapsy', 'csv'] as const;
export type ExtractionFormat = (typeof EXTRACTION_FORMATS)[number];

export interface ImportSummary {
  format: ExtractionFormat;
  studies: number;
  /** The ids of the file's studies. */
  studyIds: string[];
  /** What the data say about the review's scope rule, for the screeners: a hint, never a decision. */
  outOfScope: { study: string; reason: string }[];
  usableRows: number;
  /** Results the source gives only as an effect (a precalculated g): pooled where the review's plan says so. */
  precalculatedEffects: number;
  /** Results kept for the record that arm-level pooling cannot use. */
  notUsable: { study: string; instrument: string; reason: string; row?: number }[];
  warnings: string[];
  ignoredColumns: string[];
}

export interface ImportOptions {
  store: ExtractionStore;
  /** The review's outcome map, scope and characteristics. */
  config: ExtractionConfig;
  /** Named in messages, e.g. the file name. */
  document?: string;
}

function parse(text: string, format: string, document: string, config: ExtractionConfig): ExtractionBatch {
  if (format === 'metapsy') return readMetapsy(text, { document, config });
  if (format === 'csv') return readExtractionCsv(text, { document, config });
  throw new InputError(`unknown format "${format}" (expected ${EXTRACTION_FORMATS.join(' or ')})`);
}

/** Validates the whole file, then stores its studies and outcome rows; a file with any problem stores nothing. */
export async function importExtraction(
  text: string,
  format: ExtractionFormat | string,
  { store, config, document = 'input' }: ImportOptions,
): Promise<ImportSummary> {
  const parsed = parse(text, format, document, config);
  const reconcile = config.reconcileStudy ?? ((study) => study);
  const batch = { ...parsed, studies: parsed.studies.map(reconcile) };
  await store.putImport({ document, studies: batch.studies, rows: batch.rows });
  const labelOf = new Map(batch.studies.map((study) => [study.id, study.label]));
  return {
    format: format as ExtractionFormat,
    studies: batch.studies.length,
    studyIds: batch.studies.map((study) => study.id),
    outOfScope: batch.studies
      .filter((study) => !study.inScope)
      .map((study) => ({ study: study.label, reason: study.scopeReason })),
    usableRows: batch.rows.filter((row) => row.status === 'usable').length,
    precalculatedEffects: batch.rows.filter((row) => row.status === 'effect').length,
    notUsable: batch.rows.flatMap((row) =>
      row.status === 'usable'
        ? []
        : [
            {
              study: labelOf.get(row.studyId) ?? row.studyId,
              instrument: row.instrument,
              reason: row.reason,
              ...(row.provenance.row === undefined ? {} : { row: row.provenance.row }),
            },
          ],
    ),
    warnings: batch.warnings,
    ignoredColumns: batch.ignoredColumns,
  };
}
