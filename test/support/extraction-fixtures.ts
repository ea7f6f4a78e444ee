import { readFileSync } from 'node:fs';

const fixtures = new URL('../fixtures/', import.meta.url);

/** The real Metapsy peer-support file (test/fixtures/metapsy/data.csv), as bytes decoded from UTF-8. */
export function metapsyText(): string {
  return readFileSync(new URL('metapsy/data.csv', fixtures), 'utf8');
}

/** The 2021 review's full text (test/fixtures/seeds). */
export function seedText(): string {
  return readFileSync(new URL('seeds/001_30a8a7efb471755f.txt', fixtures), 'utf8');
}

/** The seed with line-break hyphenation joined and whitespace collapsed, so quotes can be found in it. */
export function normalisedSeed(): string {
  return seedText().replace(/-\n/g, '').replace(/\s+/g, ' ');
}

/**
 * Replaces one cell of a semicolon file whose fields hold no semicolons or line breaks (true of the Metapsy
 * fixture): `row` is the 1-based data row, `column` a header name.
 */
export function withCell(text: string, row: number, column: string, value: string): string {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').split(';').map((name) => name.replaceAll('"', ''));
  const index = header.indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  const cells = (lines[row] ?? '').split(';');
  cells[index] = value;
  lines[row] = cells.join(';');
  return lines.join('\n');
}
