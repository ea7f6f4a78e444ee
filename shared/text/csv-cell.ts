/**
 * One cell of a CSV file that people open in a spreadsheet. Every CSV living-review writes (the records export,
 * the published data.csv) goes through here, so a cell from a source cannot become a formula in one of them.
 */

/** Spreadsheets read a cell starting with one of these as a formula (=HYPERLINK(...), @SUM(...), +cmd|...). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180 quoting, and text that a spreadsheet would run as a formula neutralised with a leading apostrophe
 * (OWASP's advice). Numbers are written as they are: a negative mean is a number, not a formula, and must stay
 * one for whoever analyses the file.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
