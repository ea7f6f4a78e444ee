import { InputError } from '#shared/errors.ts';

export interface Cell {
  text: string;
  /** Whether the field was written in double quotes (R writes missing values as a bare NA). */
  quoted: boolean;
}

export interface DelimitedRecord {
  cells: Cell[];
  /** 1-based line of the file where the record starts (quoted fields may span lines). */
  line: number;
}

/**
 * Splits RFC 4180-style text (double-quoted fields, "" for a quote inside one, CRLF or LF) on a delimiter.
 * Blank lines are skipped. A quote left open at the end of the file is an error naming the line it opened on.
 */
export function parseDelimited(text: string, delimiter: string): DelimitedRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: DelimitedRecord[] = [];
  let cells: Cell[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteOpenedOn = 0;

  const endField = () => {
    cells.push({ text: field, quoted });
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    const blank = cells.length === 1 && cells[0]?.text === '' && !cells[0].quoted;
    if (!blank) records.push({ cells, line: recordLine });
    cells = [];
  };

  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (inQuotes) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        inQuotes = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      quoteOpenedOn = line;
    } else if (char === delimiter) {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += char;
    }
  }
  if (inQuotes) throw new InputError(`line ${quoteOpenedOn}: a quoted field is never closed`);
  if (field !== '' || quoted || cells.length > 0) endRecord();
  return records;
}
