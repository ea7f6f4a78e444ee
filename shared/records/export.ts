/**
 * Exports of the surviving records for reference managers (RIS) and other screening tools (CSV), with every
 * identifier gathered from the record's source copies and its screening status. Pure.
 */
import type { RecordView } from '#shared/screening/view.ts';
import { csvCell } from '#shared/text/csv-cell.ts';

function risLines(view: RecordView): string[] {
  const { record } = view;
  const tag = (name: string, value: string | number | undefined) =>
    value === undefined || value === '' ? [] : [`${name}  - ${String(value).replace(/\s*[\r\n]+\s*/g, ' ')}`];
  const dois = [...new Set([...view.ids.dois, ...(record.dois ?? [])])];
  const [startPage, endPage] = (record.pages ?? '').split('-', 2);
  const links = [
    ...view.ids.pmids.map((pmid) => `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`),
    ...view.ids.nctIds.map((nct) => `https://clinicaltrials.gov/study/${nct}`),
    ...dois.map((doi) => `https://doi.org/${doi}`),
  ];
  return [
    `TY  - ${record.source === 'ctgov' ? 'DBASE' : 'JOUR'}`,
    ...tag('TI', record.title),
    ...record.authors.flatMap((author) => tag('AU', author)),
    ...tag('PY', record.year),
    ...tag('JO', record.journal),
    ...tag('VL', record.volume),
    ...tag('IS', record.issue),
    ...tag('SP', startPage),
    ...tag('EP', endPage),
    ...dois.flatMap((doi) => tag('DO', doi)),
    ...tag('DB', record.database),
    ...view.ids.pmids.flatMap((pmid) => tag('AN', `PMID:${pmid}`)),
    ...tag('AB', record.abstract),
    ...links.flatMap((link) => tag('UR', link)),
    ...tag('ID', view.id),
    ...tag('N1', `living-review status: ${view.screening.status}${view.retracted ? '; RETRACTED' : ''}`),
    ...view.ids.nctIds.flatMap((nct) => tag('N1', `Trial registration: ${nct}`)),
    'ER  - ',
  ];
}

export function toRis(records: readonly RecordView[]): string {
  return records.map((view) => `${risLines(view).join('\r\n')}\r\n`).join('\r\n');
}

const CSV_COLUMNS = [
  'id',
  'title',
  'authors',
  'year',
  'journal',
  'pmid',
  'doi',
  'nct_ids',
  'study',
  'sources',
  'copies',
  'status',
  'title_abstract',
  'full_text',
  'exclusion_reason',
  'retracted',
  'abstract',
] as const;

function cell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return csvCell(typeof value === 'boolean' ? String(value) : value);
}

export function toCsv(records: readonly RecordView[]): string {
  const rows = records.map((view) => {
    const { titleAbstract, fullText } = view.screening;
    const cells: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | undefined> = {
      id: view.id,
      title: view.record.title,
      authors: view.record.authors.join('; '),
      year: view.record.year,
      journal: view.record.journal,
      pmid: view.ids.pmids.join('; '),
      doi: view.ids.dois.join('; '),
      nct_ids: view.ids.nctIds.join('; '),
      study: view.trials.join('; '),
      sources: view.sources.join('; '),
      copies: view.copies.map((copy) => copy.id).join('; '),
      status: view.screening.status,
      title_abstract: titleAbstract.outcome ?? titleAbstract.status,
      full_text: fullText ? (fullText.outcome ?? fullText.status) : '',
      exclusion_reason: fullText?.reason ?? titleAbstract.reason,
      retracted: view.retracted,
      abstract: view.record.abstract,
    };
    return CSV_COLUMNS.map((column) => cell(cells[column])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
