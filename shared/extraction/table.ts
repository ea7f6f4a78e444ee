import { InputError } from '#shared/errors.ts';
import { parseDelimited } from '#shared/text/delimited.ts';
import { type NumberRules, type ProblemList, readNumber } from './cells.ts';

export interface TableOptions {
  document: string;
  delimiter: string;
  required: readonly string[];
  /** Columns the reader understands besides the required ones; anything else is reported as ignored. */
  known: readonly string[];
  /** Text that means "no value" (R writes NA). Empty cells are always missing. */
  missing: readonly string[];
  decimalComma: boolean;
  /** Applied to every text value, e.g. repairing double-decoded UTF-8. */
  cleanText?: (text: string) => string;
}

/** One data row. `row` is 1-based and counts data rows only; numeric reads report problems against it. */
export interface TableRow {
  row: number;
  line: number;
  text(column: string): string | null;
  number(column: string, rules?: Omit<NumberRules, 'decimalComma'>): number | null | undefined;
}

export interface Table {
  columns: string[];
  ignoredColumns: string[];
  rows: TableRow[];
}

/**
 * Reads a delimited file with a header. A missing required column or a duplicated column refuses the file at
 * once; a row with the wrong number of cells is a problem for that row. Unnamed columns (an R row index) and
 * columns the reader does not know are skipped and listed, never silently.
 */
export function readTable(text: string, options: TableOptions, problems: ProblemList): Table {
  const records = parseDelimited(text, options.delimiter);
  const [header, ...data] = records;
  if (!header) throw new InputError(`${options.document}: the file is empty`);
  const columns = header.cells.map((cell) => cell.text.trim());
  const duplicated = columns.filter((column, i) => column !== '' && columns.indexOf(column) !== i);
  if (duplicated.length > 0) {
    throw new InputError(
      `${options.document}: column(s) named twice: ${[...new Set(duplicated)].join(', ')}`,
    );
  }
  const missingColumns = options.required.filter((column) => !columns.includes(column));
  if (missingColumns.length > 0) {
    throw new InputError(
      `${options.document}: not the expected column set; missing column(s): ${missingColumns.join(', ')} ` +
        `(found: ${columns.filter(Boolean).join(', ') || 'none'})`,
    );
  }
  const understood = new Set([...options.required, ...options.known]);
  const ignoredColumns = columns.filter((column) => column !== '' && !understood.has(column));
  const position = new Map(columns.map((column, i) => [column, i]));
  const missing = new Set(options.missing);
  const clean = options.cleanText ?? ((value: string) => value);

  const rows = data.flatMap((record, i): TableRow[] => {
    const row = i + 1;
    if (record.cells.length !== columns.length) {
      problems.add(row, '(whole row)', `has ${record.cells.length} cells, the header has ${columns.length}`);
      return [];
    }
    const text = (column: string): string | null => {
      const index = position.get(column);
      if (index === undefined) return null;
      const raw = record.cells[index]?.text.trim() ?? '';
      if (raw === '' || missing.has(raw)) return null;
      return clean(raw);
    };
    const number = (column: string, rules: Omit<NumberRules, 'decimalComma'> = {}) => {
      const value = text(column);
      if (value === null) return null;
      return readNumber(value, { ...rules, decimalComma: options.decimalComma }, { problems, row, column });
    };
    return [{ row, line: record.line, text, number }];
  });
  return { columns, ignoredColumns, rows };
}
