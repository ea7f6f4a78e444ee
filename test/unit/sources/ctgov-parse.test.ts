import { describe, expect, it } from 'vitest';
import { InputError } from '#shared/errors.ts';
import { parseCtgovJson, parseCtgovStudy } from '#shared/sources/ctgov/parse.ts';
import { readFixture } from '#test/support/source-fixtures.ts';

describe('parseCtgovJson on real API v2 files', () => {
  it('reads the registry fields of the PRIDE trial NCT03630471', () => {
    const [record, ...rest] = parseCtgovJson(readFixture('ctgov/NCT03630471.json'));
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      source: 'ctgov',
      id: 'ctgov:NCT03630471',
      nctIds: ['NCT03630471'],
      authors: [],
      year: 2018,
      retracted: false,
      registry: {
        status: 'COMPLETED',
        allocation: 'RANDOMIZED',
        enrollment: 250,
        startDate: '2018-08-20',
        completionDate: '2019-02-28',
        lastUpdatePosted: '2019-05-21',
        hasResults: false,
      },
    });
    expect(record?.title).toMatch(
      /^The Effectiveness of a Low-intensity, Lay Counsellor-delivered, Problem-solving/,
    );
    expect(
      record?.abstract.startsWith('We will conduct a two-arm individually randomized controlled trial'),
    ).toBe(true);
  });

  it('keeps the ten cited PMIDs with their types, skips the two without one, and links only the DERIVED three', () => {
    const [record] = parseCtgovJson(readFixture('ctgov/NCT03630471.json'));
    const references = record?.registry?.references ?? [];
    expect(references).toHaveLength(10);
    expect(references.slice(0, 3)).toEqual([
      { pmid: '11102329', type: 'BACKGROUND' },
      { pmid: '21500888', type: 'BACKGROUND' },
      { pmid: '6668417', type: 'BACKGROUND' },
    ]);
    expect(references.filter((reference) => reference.type === 'BACKGROUND')).toHaveLength(7);
    expect(record?.registry?.pmids).toEqual(['34582460', '32585185', '31533783']);
    expect(record?.pmid).toBeUndefined();
  });

  it('reads results, partial dates and MeSH terms of NCT02552212', () => {
    const [record] = parseCtgovJson(readFixture('ctgov/NCT02552212.json'));
    expect(record?.registry).toMatchObject({
      status: 'COMPLETED',
      allocation: 'RANDOMIZED',
      enrollment: 317,
      startDate: '2015-09',
      completionDate: '2020-05',
      lastUpdatePosted: '2022-08-18',
      hasResults: true,
    });
    expect(record?.registry?.pmids).toEqual(['35296532', '35733363', '34715908', '30848558']);
    expect(record?.year).toBe(2015);
    expect(record?.mesh.length).toBeGreaterThan(0);
  });

  it('reads every study of a search page, including the second page without totalCount', () => {
    const first = parseCtgovJson(readFixture('ctgov/search_phelan_limit5_20260811.json'));
    const second = parseCtgovJson(readFixture('ctgov/search_phelan_next_20260811.json'));
    expect(first.map((record) => record.id)).toEqual([
      'ctgov:NCT02710084',
      'ctgov:NCT05105685',
      'ctgov:NCT01525901',
      'ctgov:NCT03493607',
      'ctgov:NCT07119606',
    ]);
    expect(second.map((record) => record.nctIds[0])).toEqual([
      'NCT05187377',
      'NCT03836300',
      'NCT07014020',
      'NCT05025241',
      'NCT07281079',
    ]);
    expect(first[2]?.registry).toMatchObject({
      status: 'COMPLETED',
      startDate: '2012-02',
      enrollment: 19,
      hasResults: false,
    });
    expect(first[4]?.registry?.status).toBe('NOT_YET_RECRUITING');
  });
});

describe('parseCtgovJson reads reference types', () => {
  // Written by the project in the shape of NCT03630471.json: one reference of each type, one without a type.
  const [record] = parseCtgovJson(readFixture('ctgov/references-typed.json'));

  it('keeps every cited PMID with its type, in the registration order', () => {
    expect(record?.registry?.references).toEqual([
      { pmid: '90000101', type: 'BACKGROUND' },
      { pmid: '90000102', type: 'RESULT' },
      { pmid: '90000103', type: 'DERIVED' },
      { pmid: '90000104' },
    ]);
  });

  it('counts only RESULT and DERIVED references as reporting the trial, never BACKGROUND or untyped ones', () => {
    expect(record?.registry?.pmids).toEqual(['90000102', '90000103']);
  });

  it('links a PMID cited both as background and as a result, and lists each type once', () => {
    const study = JSON.parse(readFixture('ctgov/references-typed.json'));
    const references = study.protocolSection.referencesModule.references;
    references.push({ pmid: '90000101', type: 'RESULT' }, { pmid: ' 90000101 ', type: 'result' });
    references.push({ pmid: '90000102', type: 'RESULT' });
    const [again] = parseCtgovJson(JSON.stringify(study));
    expect(again?.registry?.pmids).toEqual(['90000102', '90000103', '90000101']);
    expect(again?.registry?.references?.filter((reference) => reference.pmid === '90000101')).toEqual([
      { pmid: '90000101', type: 'BACKGROUND' },
      { pmid: '90000101', type: 'RESULT' },
    ]);
  });
});

describe('parseCtgovJson on saved files', () => {
  it('accepts a byte-order mark', () => {
    const [record] = parseCtgovJson(`\uFEFF${readFixture('ctgov/NCT03630471.json')}`);
    expect(record?.id).toBe('ctgov:NCT03630471');
  });
});

describe('parseCtgovJson refuses broken input', () => {
  it('refuses malformed JSON', () => {
    expect(() => parseCtgovJson(readFixture('ctgov/NCT03630471.json').slice(0, 5000))).toThrow(InputError);
  });

  it('refuses a study without an NCT id, naming its position', () => {
    const page = JSON.parse(readFixture('ctgov/search_phelan_next_20260811.json'));
    delete page.studies[1].protocolSection.identificationModule.nctId;
    expect(() => parseCtgovJson(JSON.stringify(page))).toThrow(/studies\[1\].*nctId/);
  });

  it('refuses JSON that is neither a study nor a page', () => {
    expect(() => parseCtgovJson(readFixture('eutils/rate-limit-429.json'))).toThrow(InputError);
  });

  it('refuses a non-object study', () => {
    expect(() => parseCtgovStudy(null)).toThrow(InputError);
  });
});
