import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One metafor reference case: the CSV a user would give and metafor's answer (test/fixtures/metafor*). */
export interface ReferenceCase {
  name: string;
  csvPath: string;
  csv: string;
  expected: Record<string, unknown> & { measure: string; method: 'DL' | 'REML' | 'PM'; test: 'z' | 'knha' };
}

export function referenceCases(folder: string): ReferenceCase[] {
  const dir = join(import.meta.dirname, '..', 'fixtures', folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && !file.includes('revman'))
    .sort()
    .map((file) => {
      const csvPath = join(dir, file.replace(/\.json$/, '.csv'));
      return {
        name: file.replace(/\.json$/, ''),
        csvPath,
        csv: readFileSync(csvPath, 'utf8'),
        expected: JSON.parse(readFileSync(join(dir, file), 'utf8')),
      };
    });
}

/**
 * Asserts `actual` is within `relative` of `expected` (plus a 1e-12 absolute floor for values at zero), with a
 * message naming the field. Nulls must match nulls: metafor leaves out what it cannot compute.
 */
export function expectClose(actual: unknown, expected: unknown, relative: number, field: string): void {
  if (expected === null || expected === undefined) {
    if (actual !== null && actual !== undefined && !(typeof actual === 'number' && Number.isNaN(actual))) {
      throw new Error(`${field}: expected no value, got ${JSON.stringify(actual)}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      throw new Error(`${field}: expected ${expected.length} values, got ${JSON.stringify(actual)}`);
    }
    for (const [i, value] of expected.entries()) expectClose(actual[i], value, relative, `${field}[${i}]`);
    return;
  }
  if (typeof expected === 'number') {
    if (
      typeof actual !== 'number' ||
      !(Math.abs(actual - expected) <= relative * Math.abs(expected) + 1e-12)
    ) {
      throw new Error(`${field}: expected ${expected}, got ${actual} (relative tolerance ${relative})`);
    }
    return;
  }
  if (actual !== expected)
    throw new Error(`${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
