import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '#shared/errors.ts';
import { decodeRis, parseRis, pubmedStyleAuthor } from '#shared/sources/ris/parse.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/ris/${name}`, import.meta.url), 'utf8');

describe('parseRis', () => {
  it('reads a PsycInfo export with a byte-order mark, CRLF and an abstract continued over lines', () => {
    const [first, second] = parseRis(fixture('psycinfo.ris'));
    expect(first?.title).toBe(
      'Group peer support for adults with severe mental illness: a randomised controlled trial',
    );
    expect(first?.authors).toEqual(['Okafor AN', 'Lindqvist J']);
    expect(first?.year).toBe(2021);
    expect(first?.doi).toBe('10.5555/gps.2021.001');
    expect(first?.journal).toBe('Journal of Peer Support Research');
    expect(first?.abstract).toContain('weekly peer-facilitated groups or treatment as usual. Results:');
    expect(second?.doi).toBe('10.1056/nejmoa1715274');
  });

  it('reads EndNote tags T1, A1, Y1 with slashes, JF and N2', () => {
    const [record] = parseRis(fixture('endnote.ris'));
    expect(record).toMatchObject({
      source: 'ris',
      title: 'Hearing Voices groups: a randomised trial of peer-facilitated support',
      authors: ['Dvořák P', 'Okonkwo C'],
      year: 2020,
      journal: 'Psychosis and Recovery',
      doi: '10.5555/hv.2020.7',
    });
    expect(record?.abstract).toBe(
      'Peer-facilitated Hearing Voices groups were compared with treatment as usual in a randomised trial of 180 adults.',
    );
  });

  it('takes a PMID from a CENTRAL accession and an NCT id from an abstract', () => {
    expect(parseRis(fixture('central.ris'))[0]?.pmid).toBe('29768149');
    expect(parseRis(fixture('embase.ris'))[1]?.nctIds).toEqual(['NCT03630471']);
  });

  it('finds a DOI given only as a URL, and flags a retracted record', () => {
    const [zotero, retracted] = parseRis(fixture('zotero.ris'));
    expect(zotero?.doi).toBe('10.5555/hv.2020.7');
    expect(zotero?.retracted).toBe(false);
    expect(retracted?.retracted).toBe(true);
  });

  it('gives the same record the same id every time and different records different ids', () => {
    const once = parseRis(fixture('psycinfo.ris')).map((record) => record.id);
    const again = parseRis(fixture('psycinfo.ris').replace(/\r\n/g, '\n')).map((record) => record.id);
    expect(again).toEqual(once);
    expect(new Set(once).size).toBe(3);
    expect(once[0]).toMatch(/^ris:[0-9a-f]{16}$/);
  });

  it('refuses a file with no records', () => {
    expect(() => parseRis('<html>not ris</html>')).toThrow(InputError);
  });

  it('refuses a record without a title, naming its line', () => {
    expect(() =>
      parseRis('TY  - JOUR\nTI  - Fine title here\nER  - \n\nTY  - JOUR\nAU  - Smith, J\nER  - \n'),
    ).toThrow(/line 5 has no title/);
  });
});

describe('pubmedStyleAuthor', () => {
  it('turns "Family, Given Names" into "Family Initials" and keeps collective names', () => {
    expect(pubmedStyleAuthor('Smith, John Adam')).toBe('Smith JA');
    expect(pubmedStyleAuthor('Smith, J. A.')).toBe('Smith JA');
    expect(pubmedStyleAuthor('PRIDE Trial Group')).toBe('PRIDE Trial Group');
  });
});

describe('parseRis abstracts', () => {
  it('takes the abstract once when an export repeats it in AB and N2', () => {
    const [record] = parseRis(
      'TY  - JOUR\nTI  - A title long enough\nAB  - Same text.\nN2  - Same text.\nER  - \n',
    );
    expect(record?.abstract).toBe('Same text.');
  });
});

describe('decodeRis', () => {
  const text = 'TY  - JOUR\nTI  - Müller’s peer groups\nER  - \n';

  it('reads UTF-8, UTF-16 with a byte-order mark and Windows-1252 alike', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const windows1252 = Buffer.from(text.replace('’', "'"), 'latin1');
    expect(decodeRis(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeRis(utf16)).toBe(text);
    expect(decodeRis(windows1252)).toBe(text.replace('’', "'"));
  });
});

/**
 * Milliseconds `work` takes. The inputs below are sized so that the quadratic versions (a regex anchored at the
 * end retrying from every space) take minutes (97 s for 200k spaces), while the linear ones take milliseconds:
 * the bound of seconds cannot be broken by a loaded machine, only by quadratic code.
 */
function millisecondsOf(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}
const GENEROUS_MS = 5_000;

describe('parseRis on long runs of spaces', () => {
  const spaces200k = ' '.repeat(200_000);

  it('reads a title with 200k spaces inside it in linear time, keeping the text around them', () => {
    let records: ReturnType<typeof parseRis> = [];
    const elapsed = millisecondsOf(() => {
      records = parseRis(`TY  - JOUR\nTI  - Peer support${spaces200k}groups\nER  - \n`);
    });
    expect(records[0]?.title).toBe(`Peer support${spaces200k}groups`);
    expect(elapsed).toBeLessThan(GENEROUS_MS);
  });

  it('reads an untagged line of 200k spaces then text, and a trailing run, in linear time', () => {
    let records: ReturnType<typeof parseRis> = [];
    const elapsed = millisecondsOf(() => {
      records = parseRis(
        `TY  - JOUR\nTI  - Peer support groups${spaces200k}\n${spaces200k}continued\nER  - \n`,
      );
    });
    expect(records[0]?.title).toBe('Peer support groups continued');
    expect(elapsed).toBeLessThan(GENEROUS_MS);
  });

  it('reads a 1 MB tagged line of spaces in linear time', () => {
    const megabyte = ' '.repeat(1_000_000);
    let records: ReturnType<typeof parseRis> = [];
    const elapsed = millisecondsOf(() => {
      records = parseRis(
        `TY  - JOUR\nTI  - Trial\nN1  - ${megabyte}x${megabyte}\nDO  - 10.1234/a${'.'.repeat(200_000)}b\nER  - \n`,
      );
    });
    expect(records[0]?.title).toBe('Trial');
    expect(records[0]?.doi).toBe(`10.1234/a${'.'.repeat(200_000)}b`);
    expect(elapsed).toBeLessThan(GENEROUS_MS);
  });

  it('joins a value continued over 50k lines in linear time', () => {
    // A note, not the abstract: 1.7 MB of abstract would (rightly) be refused as too large to store.
    const lines = Array.from({ length: 50_000 }, (_, index) => `line ${index} of a very long note`);
    let records: ReturnType<typeof parseRis> = [];
    const elapsed = millisecondsOf(() => {
      records = parseRis(
        `TY  - JOUR\nTI  - Trial\nN1  - ${lines.join('\n')}\nregistered as NCT01234567\nER  - \n`,
      );
    });
    expect(records[0]?.nctIds).toEqual(['NCT01234567']);
    expect(elapsed).toBeLessThan(GENEROUS_MS);
  });
});
