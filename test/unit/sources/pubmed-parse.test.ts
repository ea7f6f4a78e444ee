import { describe, expect, it } from 'vitest';
import { InputError } from '#shared/errors.ts';
import { parsePubmedBatches, parsePubmedStream, parsePubmedXml } from '#shared/sources/pubmed/parse.ts';
import { readFixture } from '#test/support/source-fixtures.ts';

function only(file: string) {
  const { records, deleted } = parsePubmedXml(readFixture(`pubmed/${file}`));
  expect(records).toHaveLength(1);
  expect(deleted).toEqual([]);
  return records[0] as NonNullable<(typeof records)[0]>;
}

describe('parsePubmedXml on real efetch files', () => {
  it('reads the identifiers, journal, year and authors of pubmed5.xml', () => {
    const record = only('pubmed5.xml');
    expect(record).toMatchObject({
      source: 'pubmed',
      id: 'pubmed:28775130',
      pmid: '28775130',
      doi: '10.1136/oemed-2017-104431',
      pmcid: 'PMC5771820',
      nctIds: [],
      journal: 'Occupational and environmental medicine',
      year: 2018,
      publicationTypes: ['Journal Article'],
      retracted: false,
    });
    expect(record.title).toBe(
      'Occupational pesticide exposure and subclinical hypothyroidism among male pesticide applicators.',
    );
    expect(record.authors.slice(0, 3)).toEqual(['Lerro CC', 'Beane Freeman LE', 'DellaValle CT']);
    expect(record.authors).toHaveLength(12);
    expect(record.authors.at(-1)).toBe('Ward MH');
  });

  it('labels each section of a structured abstract and keeps inline markup as text', () => {
    const sections = only('pubmed5.xml').abstract.split('\n');
    expect(sections.map((section) => section.split(':')[0])).toEqual([
      'OBJECTIVES',
      'METHODS',
      'RESULTS',
      'CONCLUSIONS',
    ]);
    expect(sections[1]).toContain('(TSH >4.5 mIU/L) compared with normal TSH (0.4-<4.5 mIU/L)');
    expect(sections[2]).toContain('(ORQ3=4.15, 95% CI 1.56 to 11.01');
    expect(sections.join('\n')).not.toContain('Article author(s)');
  });

  it('never takes cited PMIDs from CommentsCorrections for the record itself', () => {
    const record = only('pubmed5.xml');
    expect(record.pmid).toBe('28775130');
    expect(JSON.stringify(record)).not.toContain('"pmid":"1');
  });

  it('flattens the misnested title markup of pubmed6.xml in document order', () => {
    const record = only('pubmed6.xml');
    expect(record.title).toBe(
      'A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and Maximal Lactate Steady State in Trained Runners. Back to the Old Days?',
    );
    expect(record).toMatchObject({
      pmid: '30108519',
      doi: '10.3389/fphys.2018.01034',
      pmcid: 'PMC6079548',
      year: 2018,
    });
    expect(record.authors).toEqual(['Garcia-Tabar I', 'Gorostiaga EM']);
  });

  it('turns MathML into plain text without markup', () => {
    const { abstract } = only('pubmed6.xml');
    expect(abstract).toContain('maximal oxygen uptake ( V.O2max ) 67.6 ± 4.1 ml·kg-1·min-1]');
    expect(abstract).not.toMatch(/<\/?[a-z]|mml:/);
    expect(abstract.startsWith('Maximal Lactate Steady State (MLSS)')).toBe(true);
  });

  it('reads the trial registration, lower-cased DOI, types and MeSH of pubmed-29768149.xml', () => {
    const record = only('pubmed-29768149.xml');
    expect(record).toMatchObject({
      pmid: '29768149',
      doi: '10.1056/nejmoa1715274',
      nctIds: ['NCT02149199'],
      title: 'Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.',
      journal: 'The New England journal of medicine',
      year: 2018,
    });
    expect(record.pmcid).toBeUndefined();
    expect(record.publicationTypes).toContain('Randomized Controlled Trial');
    expect(record.publicationTypes).toContain('Clinical Trial, Phase III');
    expect(record.mesh).toContain('Asthma');
    expect(record.mesh).toContain('Bronchodilator Agents');
    expect(record.mesh).toHaveLength(23);
    expect(record.authors[0]).toBe("O'Byrne PM");
    expect(record.abstract).toContain('a fast-acting β 2-agonist');
  });

  it('reads a PubmedBookArticle from its BookDocument', () => {
    const record = only('efetch.pubmedbook.xml');
    expect(record).toMatchObject({
      id: 'pubmed:20301295',
      pmid: '20301295',
      title: 'GeneReviews™',
      year: 1993,
    });
    expect(record.abstract.startsWith('GeneReviews are expert-authored')).toBe(true);
    expect(record.abstract).not.toContain('Copyright');
    expect(record.authors).toEqual([]);
  });
});

const header =
  '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st June 2018//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_180601.dtd">\n<PubmedArticleSet>\n';

function articleOf(file: string): string {
  const xml = readFixture(`pubmed/${file}`);
  const match =
    /<PubmedArticle>[\s\S]*<\/PubmedArticle>|<PubmedBookArticle>[\s\S]*<\/PubmedBookArticle>/.exec(xml);
  if (!match) throw new Error(`no record in ${file}`);
  return match[0];
}

describe('parsePubmedXml on assembled sets', () => {
  it('keeps document order across articles and book articles', () => {
    const xml = `${header}${articleOf('pubmed5.xml')}${articleOf('efetch.pubmedbook.xml')}${articleOf('pubmed6.xml')}</PubmedArticleSet>`;
    expect(parsePubmedXml(xml).records.map((record) => record.pmid)).toEqual([
      '28775130',
      '20301295',
      '30108519',
    ]);
  });

  it('parses the compact form (no whitespace between tags) as the indented one', () => {
    const indented = parsePubmedXml(readFixture('pubmed/pubmed-29768149.xml')).records;
    const compact = parsePubmedXml(readFixture('pubmed/pubmed-29768149.xml').replace(/>\s+</g, '><')).records;
    expect(compact).toEqual(indented);
    expect(compact[0]?.mesh).toHaveLength(23);
  });

  it('accepts a byte-order mark and CRLF line ends', () => {
    const xml = `\uFEFF${readFixture('pubmed/pubmed5.xml').replace(/\n/g, '\r\n')}`;
    expect(parsePubmedXml(xml).records).toEqual(parsePubmedXml(readFixture('pubmed/pubmed5.xml')).records);
  });

  it('lists the PMIDs of DeleteCitation as deleted', () => {
    const xml = `${header}${articleOf('pubmed5.xml')}<DeleteCitation><PMID Version="1">111</PMID><PMID Version="1">222</PMID></DeleteCitation></PubmedArticleSet>`;
    const result = parsePubmedXml(xml);
    expect(result.deleted).toEqual(['111', '222']);
    expect(result.records).toHaveLength(1);
  });

  it('accepts an empty set', () => {
    expect(parsePubmedXml(`${header}</PubmedArticleSet>`)).toEqual({ records: [], deleted: [] });
  });

  it('leaves out an author name marked invalid (ValidYN="N")', () => {
    const article = articleOf('pubmed6.xml').replace(
      '<AuthorList CompleteYN="Y">',
      '<AuthorList CompleteYN="Y"><Author ValidYN="N"><LastName>Garcia-Tavar</LastName><Initials>I</Initials></Author>',
    );
    const [record] = parsePubmedXml(`${header}${article}</PubmedArticleSet>`).records;
    expect(record?.authors).toEqual(['Garcia-Tabar I', 'Gorostiaga EM']);
  });

  it('takes identifiers from the article own ArticleIdList, never from its ReferenceList', () => {
    const references =
      '<ReferenceList><Reference><Citation>Other paper.</Citation><ArticleIdList><ArticleId IdType="doi">10.9999/other</ArticleId><ArticleId IdType="pubmed">11111111</ArticleId><ArticleId IdType="pmc">PMC1</ArticleId></ArticleIdList></Reference></ReferenceList>';
    const article = articleOf('pubmed6.xml').replace(
      '</ArticleIdList>\n    </PubmedData>',
      `</ArticleIdList>${references}\n    </PubmedData>`,
    );
    expect(article).toContain('10.9999/other');
    const [record] = parsePubmedXml(`${header}${article}</PubmedArticleSet>`).records;
    expect(record).toMatchObject({ pmid: '30108519', doi: '10.3389/fphys.2018.01034', pmcid: 'PMC6079548' });
  });

  it('falls back to a valid ELocationID DOI and reads only ClinicalTrials.gov accessions', () => {
    const article = articleOf('pubmed-29768149.xml')
      .replace('<ArticleId IdType="doi">10.1056/NEJMoa1715274</ArticleId>', '')
      .replace(
        '</DataBankList>',
        '<DataBank><DataBankName>ISRCTN</DataBankName><AccessionNumberList><AccessionNumber>ISRCTN12345678</AccessionNumber></AccessionNumberList></DataBank></DataBankList>',
      );
    const [record] = parsePubmedXml(`${header}${article}</PubmedArticleSet>`).records;
    expect(record?.doi).toBe('10.1056/nejmoa1715274');
    expect(record?.nctIds).toEqual(['NCT02149199']);
  });

  it('reads MedlineDate, CollectiveName and RetractionIn', () => {
    const article = articleOf('pubmed5.xml')
      .replace(
        /<PubDate>[\s\S]*?<\/PubDate>/,
        '<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>',
      )
      .replace(
        '<AuthorList CompleteYN="Y">',
        '<AuthorList CompleteYN="Y"><Author><CollectiveName>PRIDE &amp; Co Group</CollectiveName></Author>',
      )
      .replace(
        '<CommentsCorrectionsList>',
        '<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>X</RefSource><PMID Version="1">1</PMID></CommentsCorrections>',
      );
    const [record] = parsePubmedXml(`${header}${article}</PubmedArticleSet>`).records;
    expect(record?.year).toBe(1998);
    expect(record?.authors[0]).toBe('PRIDE & Co Group');
    expect(record?.retracted).toBe(true);
    expect(record?.pmid).toBe('28775130');
  });

  it('yields the same records batch by batch as in one piece, whatever the chunking', () => {
    const xml = `${header}${['pubmed5.xml', 'pubmed6.xml', 'efetch.pubmedbook.xml', 'pubmed-29768149.xml'].map(articleOf).join('\n')}\n</PubmedArticleSet>\n`;
    const whole = parsePubmedXml(xml).records;
    const chunks = xml.match(/[\s\S]{1,997}/g) ?? [];
    const batches = [...parsePubmedBatches(chunks, 3)];
    expect(batches.map((batch) => batch.records.length)).toEqual([3, 1]);
    expect(batches.flatMap((batch) => batch.records)).toEqual(whole);
  });

  it('keeps two documents parsed at the same time apart', () => {
    const one = `${header}${['pubmed5.xml', 'pubmed6.xml'].map(articleOf).join('')}</PubmedArticleSet>`;
    const two = `${header}${['efetch.pubmedbook.xml', 'pubmed-29768149.xml'].map(articleOf).join('')}</PubmedArticleSet>`;
    const first = parsePubmedBatches(one.match(/[\s\S]{1,500}/g) ?? [], 1);
    const second = parsePubmedBatches(two.match(/[\s\S]{1,700}/g) ?? [], 1);
    const pmids: string[] = [];
    for (let step = 0; step < 2; step += 1) {
      pmids.push(first.next().value?.records[0]?.pmid ?? '-', second.next().value?.records[0]?.pmid ?? '-');
    }
    expect(pmids).toEqual(['28775130', '20301295', '30108519', '29768149']);
  });

  it('parses a byte stream split inside multi-byte characters', async () => {
    const xml = `${header}${articleOf('pubmed6.xml')}</PubmedArticleSet>`;
    const bytes = new TextEncoder().encode(xml);
    async function* pieces() {
      for (let start = 0; start < bytes.length; start += 101) yield bytes.slice(start, start + 101);
    }
    const records = [];
    for await (const batch of parsePubmedStream(pieces(), 1)) records.push(...batch.records);
    expect(records).toEqual(parsePubmedXml(xml).records);
  });
});

describe('parsePubmedXml refuses broken input', () => {
  const xml = readFixture('pubmed/pubmed5.xml');

  it.each([0.1, 0.5, 0.9, 0.999])('refuses a file truncated at %s of its length', (fraction) => {
    expect(() => parsePubmedXml(xml.slice(0, Math.floor(xml.length * fraction)))).toThrow(InputError);
  });

  it('names the incomplete record when the set is cut inside it', () => {
    expect(() => parsePubmedXml(xml.slice(0, xml.indexOf('</PubmedArticle>')))).toThrow(/record 1/);
  });

  it('refuses mismatched tags inside a record', () => {
    expect(() => parsePubmedXml(xml.replace('</ArticleTitle>', '</Title>'))).toThrow(InputError);
  });

  it('refuses a record without a PMID', () => {
    expect(() => parsePubmedXml(xml.replace(/<PMID Version="1">28775130<\/PMID>/, ''))).toThrow(
      /no valid PMID/,
    );
  });

  it('refuses an esearch answer, naming its root element', () => {
    expect(() => parsePubmedXml(readFixture('eutils/esearch.pubmed.xml'))).toThrow(/<eSearchResult>/);
    expect(() => parsePubmedXml(readFixture('eutils/esearch.baderror.xml'))).toThrow(InputError);
  });

  it('refuses an empty file', () => {
    expect(() => parsePubmedXml('')).toThrow(/empty/);
  });
});

describe('parsePubmedStream refuses bytes that are not UTF-8', () => {
  it('names the encoding problem', async () => {
    async function* latin1() {
      yield new Uint8Array([...new TextEncoder().encode(`${header}<PubmedArticle>`), 0xe9, 0x3c]);
    }
    const consume = async () => {
      for await (const _ of parsePubmedStream(latin1())) {
        // draining
      }
    };
    await expect(consume()).rejects.toThrow(/not UTF-8/);
  });
});
