import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '#shared/records/ingest.ts';
import { prismaReport } from '#shared/screening/prisma.ts';
import { loadReview } from '#shared/screening/view.ts';
import { parseRis } from '#shared/sources/ris/parse.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { memoryStore, steppingClock } from '#test/support/store.ts';

let local: LocalStore;
beforeEach(async () => {
  local = await memoryStore();
});
afterEach(async () => {
  await local.close();
});

const embase = readFileSync(new URL('../../fixtures/ris-real/embase.ris', import.meta.url), 'utf8');

describe('ingest of a RIS file holding the same record twice', () => {
  it('stores the repeat as a duplicate of the first copy, so PRISMA counts it as removed', async () => {
    // The real Embase export with its second record repeated, as an export run twice over one page does.
    const second = embase.slice(embase.indexOf('TY  - JOUR', 10));
    const records = parseRis(`${embase}\n${second}`);
    expect(records).toHaveLength(3);
    const result = await ingest(records, { store: local.store, clock: steppingClock() });
    expect(result.new.map((entry) => entry.id)).toEqual([records[0]?.id, records[1]?.id]);
    expect(result.duplicates).toEqual([
      { id: records[2]?.id, canonicalId: records[1]?.id, matchedKey: { kind: 'pmid', value: '15368318' } },
    ]);
    const again = await ingest(parseRis(`${embase}\n${second}`), {
      store: local.store,
      clock: steppingClock('2026-02-01T00:00:00.000Z'),
    });
    expect(again.new).toEqual([]);
    expect(again.unchanged).toHaveLength(3);
  });
});

describe('PRISMA counts of imported exports', () => {
  it('count records per database the exports name, as PRISMA 2020 lists each database', async () => {
    const files = ['embase.ris', 'ovid_psycinfo.ris', 'scopus.ris'].map((name) =>
      parseRis(readFileSync(new URL(`../../fixtures/ris-real/${name}`, import.meta.url), 'utf8')),
    );
    for (const records of files) await ingest(records, { store: local.store, clock: steppingClock() });
    const snapshot = await loadReview(local.store);
    const counts = prismaReport(snapshot.copies, snapshot.records).cumulative;
    const expected: Record<string, number> = {};
    for (const record of files.flat()) {
      const database = record.database ?? '';
      expected[database] = (expected[database] ?? 0) + 1;
    }
    expect(counts.identifiedByDatabase).toEqual(expected);
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['Embase', 'PsycINFO']));
    expect(counts.identified.ris).toBe(files.flat().length);
  });
});
