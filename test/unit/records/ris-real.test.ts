/**
 * The RIS importer on real exports (test/fixtures/ris-real/, provenance in test/fixtures/SOURCES.md) and on small
 * records written here after each exporter's shape, for the cases no real fixture found holds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRis, pubmedStyleAuthor } from '#shared/sources/ris/parse.ts';

const real = (name: string) =>
  parseRis(readFileSync(new URL(`../../fixtures/ris-real/${name}`, import.meta.url), 'utf8'));

describe('parseRis on real exports', () => {
  it('reads an Ovid PsycINFO export with its NL lines and link text between records, not refusing it', () => {
    const records = real('ovid_psycinfo.ris');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      title:
        'The influence of self-criticism on depression symptoms among ambulatory patients with inflammatory bowel disease.',
      doi: '10.1002/cpp.2398',
      authors: ['Trindade IA', 'Irons C', 'Ferreira C', 'Portela F', 'Pinto-Gouveia J'],
      year: 2019,
      journal: 'Clinical Psychology & Psychotherapy',
      // No DB line: the database is the one Ovid's link names (D=psyc16).
      database: 'PsycINFO',
    });
    // "No Pagination Specified", split by Ovid over SP and EP, is not a page range.
    expect(records[0]?.pages).toBeUndefined();
    // The PsycINFO accession number in the link is not a PMID.
    expect(records[0]?.pmid).toBeUndefined();
  });

  it('reads an Embase export: the PMID in C5, the DB line, "Family I.I." authors, volume, issue and pages', () => {
    const [first, second] = real('embase.ris');
    expect(first).toMatchObject({
      doi: '10.4103/2303-9027.138783',
      authors: ['Liu R', 'Adler DG'],
      database: 'Embase',
      year: 2014,
      volume: '3',
      issue: '3',
      pages: '152-160',
    });
    expect(first?.pmid).toBeUndefined();
    expect(second).toMatchObject({
      pmid: '15368318',
      doi: '10.1002/cncr.20369',
      database: 'Embase',
      authors: ['Eloubeidi MA', 'Cohn M', 'Cerfolio RJ', 'Chhieng DC', 'Jhala N', 'Jhala D', 'Eltoum IA'],
      volume: '102',
      issue: '4',
      pages: '253-258',
    });
  });

  it('reads a Zotero export of the same Ovid records', () => {
    const records = real('ovid_zotero.ris');
    expect(records.map((record) => record.doi)).toEqual(['10.1002/cpp.2398', '10.1177/1359105317742958']);
    expect(records[1]).toMatchObject({ volume: '24', issue: '7', pages: '847-856' });
    expect(records.every((record) => record.database === undefined && record.pmid === undefined)).toBe(true);
  });

  it('reads a Scopus export: its DB line, and the DOI from DO, not the Scopus link', () => {
    const [record] = real('scopus.ris');
    expect(record).toMatchObject({
      doi: '10.1080/20964129.2020.1722034',
      database: 'Scopus',
      authors: expect.arrayContaining(['Li W', 'Pan X']),
      volume: '6',
      issue: '1',
    });
    expect(record?.authors).toHaveLength(10);
  });

  it('reads Dimensions and Web of Science records: no PMID invented from their accession numbers', () => {
    const records = real('dimensions_wos.ris');
    expect(records).toHaveLength(2);
    expect(records.map((record) => record.pmid)).toEqual([undefined, undefined]);
    expect(records.map((record) => record.doi)).toEqual([
      '10.1186/s13750-021-00246-8',
      '10.1016/j.wasman.2016.08.025',
    ]);
    expect(records[0]?.authors).toContain('St. Clair CC');
    expect(records[1]).toMatchObject({ volume: '58', pages: '359-368' });
  });

  it('reads an EndNote export with values continued over lines', () => {
    const [record] = real('endnote.ris');
    expect(record).toMatchObject({
      doi: '10.1234/endnote.joke.2024',
      authors: ['Smith AN', 'Doe J', 'End NO', 'Ref ER'],
      year: 2024,
      issue: '42',
      pages: '1-2',
    });
  });
});

// Written after the exporters' shapes (Ovid MEDLINE, Embase via Ovid, Cochrane Library, Wiley, PsycINFO notes).
const ris = (...lines: string[]) => parseRis(`${lines.join('\n')}\n`);

describe('parseRis: PMIDs where real exports put them', () => {
  it('takes a bare accession number from Ovid MEDLINE (DB) as the PMID', () => {
    const [record] = ris('TY  - JOUR', 'DB  - Ovid MEDLINE(R)', 'AN  - 31533783', 'TI  - A trial', 'ER  - ');
    expect(record?.pmid).toBe('31533783');
    expect(record?.database).toBe('MEDLINE');
  });

  it("takes the PMID from an Ovid MEDLINE link's AN=, and the database from its D=", () => {
    const [record] = ris(
      'TY  - JOUR',
      'TI  - A trial',
      'L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=medl&NEWS=N&AN=29768149',
      'ER  - ',
    );
    expect(record?.pmid).toBe('29768149');
    expect(record?.database).toBe('MEDLINE');
  });

  it('takes a PMID from U1 in an Embase record, and a labelled one from U1 anywhere', () => {
    expect(ris('TY  - JOUR', 'DB  - Embase', 'U1  - 30396417', 'TI  - A trial', 'ER  - ')[0]?.pmid).toBe(
      '30396417',
    );
    expect(ris('TY  - JOUR', 'U1  - PMID: 21218094', 'TI  - A trial', 'ER  - ')[0]?.pmid).toBe('21218094');
  });

  it('never takes an Embase accession (L...) or a bare number from an unknown source as a PMID', () => {
    expect(ris('TY  - JOUR', 'DB  - Embase', 'AN  - L2001108924', 'TI  - A trial', 'ER  - ')[0]?.pmid).toBe(
      undefined,
    );
    expect(ris('TY  - JOUR', 'U1  - 123', 'TI  - A trial', 'ER  - ')[0]?.pmid).toBeUndefined();
  });
});

describe('parseRis: DOIs only from DOI fields or DOI-shaped values', () => {
  it('invents no DOI from a Wiley or Cochrane Library link path', () => {
    const [wiley, cochrane] = ris(
      'TY  - JOUR',
      'TI  - A review',
      'UR  - https://onlinelibrary.wiley.com/doi/full/10.1002/14651858.CD012345.pub2/full',
      'ER  - ',
      'TY  - JOUR',
      'TI  - A trial',
      'UR  - https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01234567/full',
      'ER  - ',
    );
    expect(wiley?.doi).toBeUndefined();
    expect(cochrane?.doi).toBeUndefined();
  });

  it("does not take a test instrument's DOI from a note", () => {
    const [record] = ris(
      'TY  - JOUR',
      'TI  - Peer support and depression',
      'N1  - Tests & Measures: Beck Depression Inventory-II, DOI: 10.1037/t00742-000',
      'ER  - ',
    );
    expect(record?.doi).toBeUndefined();
  });

  it('takes a DOI given as a doi.org link, and keeps every DOI a record has', () => {
    const [linked, several] = ris(
      'TY  - JOUR',
      'TI  - A trial',
      'UR  - https://doi.org/10.5555/ABC.1',
      'ER  - ',
      'TY  - JOUR',
      'TI  - A trial',
      'DO  - 10.5555/first.1',
      'DO  - https://doi.org/10.5555/second.2',
      'M3  - Article',
      'ER  - ',
    );
    expect(linked?.doi).toBe('10.5555/abc.1');
    expect(several?.doi).toBe('10.5555/first.1');
    expect(several?.dois).toEqual(['10.5555/first.1', '10.5555/second.2']);
    expect(linked?.dois).toBeUndefined();
  });
});

describe('parseRis: text as exported by databases', () => {
  it('removes HTML markup and decodes entities in titles, abstracts and journals', () => {
    const [record] = ris(
      'TY  - JOUR',
      'TI  - Effect of <i>peer</i> support on &lt;recovery&gt; &amp; hope: a trial<sup>1</sup>',
      'AB  - <p>Background: groups&nbsp;helped.</p><p>Results: 12&#8211;14 weeks &#x2014; done.</p>',
      'JO  - Journal of Mental Health &amp; Recovery',
      'ER  - ',
    );
    expect(record?.title).toBe('Effect of peer support on <recovery> & hope: a trial1');
    expect(record?.abstract).toBe('Background: groups helped. Results: 12–14 weeks — done.');
    expect(record?.journal).toBe('Journal of Mental Health & Recovery');
  });

  it('keeps an author with a suffix as one name', () => {
    expect(pubmedStyleAuthor('Loftus, Edward V., Jr.')).toBe('Loftus EV Jr');
    expect(pubmedStyleAuthor('Loftus, EV, Jr')).toBe('Loftus EV Jr');
    expect(pubmedStyleAuthor('Smith, John, III')).toBe('Smith J III');
    expect(pubmedStyleAuthor('Eloubeidi M.A.')).toBe('Eloubeidi MA');
    const [record] = ris(
      'TY  - JOUR',
      'TI  - A trial',
      'AU  - Loftus, Edward V., Jr.',
      'AU  - Sandborn, W. J.',
      'ER  - ',
    );
    expect(record?.authors).toEqual(['Loftus EV Jr', 'Sandborn WJ']);
  });
});

describe('parseRis: exact duplicates inside one file', () => {
  const entry = ['TY  - JOUR', 'TI  - Peer support groups: a randomised trial', 'PY  - 2020', 'ER  - '];

  it('keeps each copy as its own record, with ids that stay the same on every import', () => {
    const records = ris(...entry, ...entry, ...entry);
    expect(records).toHaveLength(3);
    expect(new Set(records.map((record) => record.id)).size).toBe(3);
    expect(ris(...entry, ...entry, ...entry).map((record) => record.id)).toEqual(records.map((r) => r.id));
    // The first copy has the id it has alone.
    expect(records[0]?.id).toBe(ris(...entry)[0]?.id);
  });
});
