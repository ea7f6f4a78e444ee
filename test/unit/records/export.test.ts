import { describe, expect, it } from 'vitest';
import { toCsv, toRis } from '#shared/records/export.ts';
import { buildViews } from '#shared/screening/view.ts';
import { parseRis } from '#shared/sources/ris/parse.ts';
import type { StoredCopy } from '#shared/store/ports.ts';
import { bibRecord } from '#test/support/store.ts';

function survivor(overrides: Parameters<typeof bibRecord>[0]): StoredCopy {
  const record = bibRecord(overrides);
  return {
    id: record.id,
    source: record.source,
    canonicalId: record.id,
    record,
    contentHash: 'x',
    cycle: '2026-01',
    importedAt: '2026-01-05T09:00:00.000Z',
    dual: false,
  };
}

describe('exports', () => {
  it('quotes CSV cells with commas, quotes and line breaks, and neutralises formulas', () => {
    const views = buildViews(
      [survivor({ id: 'pubmed:1', pmid: '1', title: '=HYPERLINK("x"), "quoted"\nnext line' })],
      [],
      [],
    );
    const [header, row] = toCsv(views).split('\r\n');
    expect(header?.startsWith('id,title,authors,year')).toBe(true);
    expect(row).toContain(`pubmed:1,"'=HYPERLINK(""x""), ""quoted""\nnext line"`);
  });

  it('neutralises a formula in an author or journal cell but writes the year as a number', () => {
    const views = buildViews(
      [survivor({ id: 'pubmed:3', pmid: '3', authors: ['@SUM(A1)'], journal: '+cmd|/c calc' })],
      [],
      [],
    );
    const [, row] = toCsv(views).split('\r\n');
    expect(row).toContain(",'@SUM(A1),2020,'+cmd|/c calc,");
  });

  it('writes RIS that the RIS parser reads back with the same title, authors, year and DOI', () => {
    const views = buildViews([survivor({ id: 'pubmed:2', pmid: '2', doi: '10.5555/round.trip' })], [], []);
    const [record] = parseRis(toRis(views));
    expect(record).toMatchObject({
      title: views[0]?.record.title,
      authors: ['Rüsch N'],
      year: 2020,
      doi: '10.5555/round.trip',
      pmid: '2',
    });
  });

  it('writes volume, issue, pages, database and every DOI, and reads them back', () => {
    const views = buildViews(
      [
        survivor({
          id: 'ris:0123456789abcdef',
          source: 'ris',
          doi: '10.5555/first.1',
          dois: ['10.5555/first.1', '10.5555/second.2'],
          volume: '102',
          issue: '4',
          pages: '253-258',
          database: 'Embase',
        }),
      ],
      [],
      [],
    );
    const text = toRis(views);
    expect(text).toContain('VL  - 102\r\nIS  - 4\r\nSP  - 253\r\nEP  - 258\r\n');
    const [record] = parseRis(text);
    expect(record).toMatchObject({
      doi: '10.5555/first.1',
      dois: ['10.5555/first.1', '10.5555/second.2'],
      volume: '102',
      issue: '4',
      pages: '253-258',
      database: 'Embase',
    });
  });
});
