/**
 * PRISMA 2020 flow counts derived from the store (never typed in): per update cycle and cumulative. A cycle's
 * records are those first identified in it; their screening results count in that cycle whenever decided. Pure.
 */
import type { SourceName } from '#shared/records/record.ts';
import type { StoredCopy } from '#shared/store/ports.ts';
import type { RecordView } from './view.ts';

export interface PrismaCounts {
  identified: { total: number } & Record<SourceName, number>;
  /** Imported database exports (RIS) by the database each record came from; "" when the file does not say. */
  identifiedByDatabase: Record<string, number>;
  duplicatesRemoved: number;
  /** Unique records after de-duplication: every one enters title/abstract screening. */
  recordsToScreen: number;
  screened: number;
  awaitingScreening: number;
  excludedTitleAbstract: number;
  fullTextAssessed: number;
  awaitingFullText: number;
  excludedFullText: { total: number; byReason: Record<string, number> };
  included: number;
  /** Distinct studies among included records: records linked to the same NCT id count once. */
  includedStudies: number;
  retractedIncluded: number;
}

export function prismaCounts(copies: readonly StoredCopy[], records: readonly RecordView[]): PrismaCounts {
  const identified = { total: copies.length, pubmed: 0, ctgov: 0, ris: 0, data: 0 };
  const identifiedByDatabase: Record<string, number> = {};
  for (const copy of copies) {
    identified[copy.source] += 1;
    if (copy.source === 'ris') {
      const database = copy.record.database ?? '';
      identifiedByDatabase[database] = (identifiedByDatabase[database] ?? 0) + 1;
    }
  }
  const count = (status: RecordView['screening']['status']) =>
    records.filter((view) => view.screening.status === status).length;
  const excludedFullText = records.filter((view) => view.screening.status === 'excluded-full-text');
  const byReason: Record<string, number> = {};
  for (const view of excludedFullText) {
    const reason = view.screening.fullText?.reason ?? 'unspecified';
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  const included = records.filter((view) => view.screening.status === 'included');
  const studyKeys = new Set(included.map((view) => view.trials[0] ?? `record:${view.id}`));
  const awaitingScreening = count('title-abstract');
  const awaitingFullText = count('full-text');
  return {
    identified,
    identifiedByDatabase,
    duplicatesRemoved: copies.filter((copy) => copy.canonicalId !== copy.id).length,
    recordsToScreen: records.length,
    screened: records.length - awaitingScreening,
    awaitingScreening,
    excludedTitleAbstract: count('excluded-title-abstract'),
    fullTextAssessed: excludedFullText.length + included.length,
    awaitingFullText,
    excludedFullText: { total: excludedFullText.length, byReason },
    included: included.length,
    includedStudies: studyKeys.size,
    retractedIncluded: included.filter((view) => view.retracted).length,
  };
}

export interface PrismaReport {
  cumulative: PrismaCounts;
  cycles: Record<string, PrismaCounts>;
}

export function prismaReport(copies: readonly StoredCopy[], records: readonly RecordView[]): PrismaReport {
  const cycles: Record<string, PrismaCounts> = {};
  const names = [...new Set(copies.map((copy) => copy.cycle))].sort();
  for (const cycle of names) {
    cycles[cycle] = prismaCounts(
      copies.filter((copy) => copy.cycle === cycle),
      records.filter((view) => view.cycle === cycle),
    );
  }
  return { cumulative: prismaCounts(copies, records), cycles };
}
