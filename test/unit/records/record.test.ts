import { describe, expect, it } from 'vitest';
import { isRecordId, unstorableBecause } from '#shared/records/record.ts';
import { bibRecord } from '#test/support/store.ts';

describe('isRecordId', () => {
  it('accepts the ids the parsers make and nothing else', () => {
    for (const id of ['pubmed:29768149', 'ctgov:NCT03630471', 'ris:0123456789abcdef']) {
      expect(isRecordId(id)).toBe(true);
    }
    for (const id of [
      '29768149',
      `pubmed:${'1'.repeat(11)}`,
      'ctgov:NCT1',
      'ris:xyz',
      'ris:0123456789abcdef0',
    ]) {
      expect(isRecordId(id)).toBe(false);
    }
  });
});

describe('unstorableBecause', () => {
  it('has nothing against a record with a 5 KB title', () => {
    expect(
      unstorableBecause(bibRecord({ id: 'pubmed:1', pmid: '1', title: 'word '.repeat(1_000) })),
    ).toBeUndefined();
  });

  it('names an id, PMID, NCT id or cited PMID that would not make a key', () => {
    expect(unstorableBecause(bibRecord({ id: 'ris:1' }))).toMatch(/is not a record id/);
    expect(unstorableBecause(bibRecord({ id: 'pubmed:1', pmid: '1'.repeat(3_000) }))).toMatch(
      /not 1 to 10 digits/,
    );
    expect(unstorableBecause(bibRecord({ id: 'pubmed:1', pmid: '1', nctIds: ['NCT1)'] }))).toMatch(
      /not an NCT id/,
    );
    const registry = { status: 'COMPLETED', hasResults: false, pmids: ['12x'] };
    expect(unstorableBecause(bibRecord({ id: 'ctgov:NCT01234567', source: 'ctgov', registry }))).toMatch(
      /not a PMID/,
    );
    const background = { ...registry, pmids: [], references: [{ pmid: '12x', type: 'BACKGROUND' }] };
    expect(
      unstorableBecause(bibRecord({ id: 'ctgov:NCT01234567', source: 'ctgov', registry: background })),
    ).toMatch(/cites "12x", which is not a PMID/);
  });

  it('names a record too large for one item, with its size', () => {
    const record = bibRecord({ id: 'pubmed:1', pmid: '1', abstract: 'x'.repeat(400_000) });
    expect(unstorableBecause(record)).toMatch(/it is 40\d kB, more than one record can hold \(300 kB\)/);
  });
});
