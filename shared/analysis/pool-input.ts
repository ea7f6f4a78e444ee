/**
 * Reads the CSV a user gives `living-review pool`: arm-level `study,m1i,sd1i,n1i,m2i,sd2i,n2i` (arm 1 =
 * intervention) or effect-level `study,yi,vi`, each with an optional `subgroup` column, in any column order.
 * A row with an empty or NA data cell has no usable data and is set aside with the reason; a row with only its
 * subgroup cell empty keeps its data and has no subgroup. Any other bad value is an InputError naming the line and
 * column.
 */
import { InputError } from '#shared/errors.ts';
import { parseDelimited } from '#shared/text/delimited.ts';
import type { ArmPair } from './effect-sizes.ts';
import { unpoolableEffect } from './pool.ts';

const ARM_COLUMNS = ['study', 'm1i', 'sd1i', 'n1i', 'm2i', 'sd2i', 'n2i'] as const;
const EFFECT_COLUMNS = ['study', 'yi', 'vi'] as const;
const OPTIONAL_COLUMNS = ['subgroup'] as const;

interface RowBase {
  study: string;
  subgroup?: string;
  line: number;
}
export type ArmRow = RowBase & ArmPair;
export type EffectRow = RowBase & { yi: number; vi: number };

export type PoolInput =
  | { kind: 'arm'; rows: ArmRow[]; excluded: Excluded[]; hasSubgroups: boolean }
  | { kind: 'effect'; rows: EffectRow[]; excluded: Excluded[]; hasSubgroups: boolean };

export interface Excluded {
  study: string;
  reason: string;
}

function columnSet(header: string[]): 'arm' | 'effect' {
  const names = new Set(header);
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate) throw new InputError(`header: column "${duplicate}" appears twice`);
  const matches = (required: readonly string[]) =>
    required.every((c) => names.has(c)) &&
    header.every((c) => required.includes(c) || (OPTIONAL_COLUMNS as readonly string[]).includes(c));
  if (matches(ARM_COLUMNS)) return 'arm';
  if (matches(EFFECT_COLUMNS)) return 'effect';
  throw new InputError(
    `header: unknown set of columns (${header.join(',')}); expected ${ARM_COLUMNS.join(',')} or ${EFFECT_COLUMNS.join(',')}, either with an optional subgroup column${headerHint(header)}`,
  );
}

/** The likely fix for a header that matches neither set: the separator, or a column's exact name. */
function headerHint(header: string[]): string {
  const [only] = header;
  if (header.length === 1 && only !== undefined && /[;\t]/.test(only)) {
    return only.includes(';')
      ? '. The header is one column holding semicolons: the file looks semicolon-separated, as spreadsheets save CSV where the decimal mark is a comma. Save it comma-separated, with points as decimal marks (0.35, not 0,35)'
      : '. The header is one column holding tabs: the file looks tab-separated. Save it comma-separated';
  }
  const known: readonly string[] = [...ARM_COLUMNS, ...EFFECT_COLUMNS, ...OPTIONAL_COLUMNS];
  const renames = header
    .filter((name) => !known.includes(name) && known.includes(name.toLowerCase()))
    .map((name) => `"${name}" should be "${name.toLowerCase()}"`);
  return renames.length > 0 ? `. Column names are lower-case, exactly as listed: ${renames.join(', ')}` : '';
}

const isMissing = (text: string) => text.trim() === '' || text.trim() === 'NA';

function number(text: string, where: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) || !Number.isFinite(value)) {
    throw new InputError(`${where}: "${text}" is not a number`);
  }
  return value;
}

function armValues(cell: (name: string) => string, where: (column: string) => string): ArmPair {
  const value = (column: (typeof ARM_COLUMNS)[number]) => number(cell(column), where(column));
  const arms = {
    m1i: value('m1i'),
    sd1i: value('sd1i'),
    n1i: value('n1i'),
    m2i: value('m2i'),
    sd2i: value('sd2i'),
    n2i: value('n2i'),
  };
  for (const column of ['sd1i', 'sd2i'] as const) {
    if (arms[column] < 0)
      throw new InputError(`${where(column)}: a standard deviation cannot be negative (${arms[column]})`);
  }
  for (const column of ['n1i', 'n2i'] as const) {
    if (!Number.isInteger(arms[column]) || arms[column] < 2) {
      throw new InputError(
        `${where(column)}: a group size must be a whole number of at least 2 (${arms[column]})`,
      );
    }
  }
  for (const column of ['sd1i', 'sd2i'] as const) {
    // Squared (and summed over n - 1) in every effect size: an overflow would make Hedges' g 0 without a word.
    if (!Number.isFinite(arms[column] ** 2 * Math.max(arms.n1i, arms.n2i) * 2)) {
      throw new InputError(
        `${where(column)}: a standard deviation of ${arms[column]} is too large: its square overflows double precision`,
      );
    }
  }
  if (!Number.isFinite(arms.m1i - arms.m2i)) {
    throw new InputError(
      `${where('m1i')}: the means ${arms.m1i} and ${arms.m2i} are too large: their difference overflows double precision`,
    );
  }
  return arms;
}

export function parsePoolCsv(text: string): PoolInput {
  const [headerRecord, ...records] = parseDelimited(text, ',');
  if (headerRecord === undefined) throw new InputError('the file is empty: expected a header row');
  const header = headerRecord.cells.map((c) => c.text.trim());
  const kind = columnSet(header);
  const hasSubgroups = header.includes('subgroup');
  const excluded: Excluded[] = [];
  const armRows: ArmRow[] = [];
  const effectRows: EffectRow[] = [];

  for (const record of records) {
    if (record.cells.length !== header.length) {
      throw new InputError(
        `line ${record.line}: ${record.cells.length} fields, but the header has ${header.length}`,
      );
    }
    const cell = (name: string) => record.cells[header.indexOf(name)]?.text ?? '';
    const study = cell('study').trim();
    const label = study === '' ? `line ${record.line}` : study;
    const where = (column: string) => `line ${record.line} (study "${label}"), column ${column}`;
    const missing = header.filter((name) => name !== 'subgroup' && isMissing(cell(name)));
    if (missing.length > 0) {
      excluded.push({ study: label, reason: `no usable data: ${missing.join(', ')} empty or NA` });
      continue;
    }
    const base: RowBase = {
      study,
      line: record.line,
      ...(hasSubgroups && !isMissing(cell('subgroup')) ? { subgroup: cell('subgroup').trim() } : {}),
    };
    if (kind === 'arm') {
      armRows.push({ ...base, ...armValues(cell, where) });
    } else {
      const yi = number(cell('yi'), where('yi'));
      const vi = number(cell('vi'), where('vi'));
      if (vi <= 0) throw new InputError(`${where('vi')}: a sampling variance must be positive (${vi})`);
      const unpoolable = unpoolableEffect(yi, vi);
      if (unpoolable) throw new InputError(`${where(unpoolable.column)}: ${unpoolable.problem}`);
      effectRows.push({ ...base, yi, vi });
    }
  }
  return kind === 'arm'
    ? { kind, rows: armRows, excluded, hasSubgroups }
    : { kind, rows: effectRows, excluded, hasSubgroups };
}
