import { describe, expect, it } from 'vitest';
import { dedupKeys, lookupKeys, normaliseDoi, surname, titleFingerprint } from '#shared/records/dedup.ts';
import { boundedKeyValue, MAX_KEY_VALUE_BYTES } from '#shared/text/bounded-key.ts';
import { bibRecord } from '#test/support/store.ts';

describe('normaliseDoi', () => {
  it('removes resolver prefixes and the doi: label and lower-cases', () => {
    expect(normaliseDoi('https://doi.org/10.1056/NEJMoa1715274')).toBe('10.1056/nejmoa1715274');
    expect(normaliseDoi('http://dx.doi.org/10.1056/NEJMoa1715274')).toBe('10.1056/nejmoa1715274');
    expect(normaliseDoi('doi: 10.1056/NEJMoa1715274.')).toBe('10.1056/nejmoa1715274');
  });

  it('strips a trailing run of 200k dots and spaces in linear time (a regex anchored at the end was quadratic)', () => {
    const run = '. '.repeat(100_000);
    const start = performance.now();
    expect(normaliseDoi(`10.1234/a${run}`)).toBe('10.1234/a');
    expect(normaliseDoi(`10.1234/a${run}b`)).toBeUndefined();
    // Quadratic took minutes here; linear takes a millisecond, so a bound of seconds holds on any machine.
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('refuses a value that is not a DOI', () => {
    expect(normaliseDoi('not a doi')).toBeUndefined();
    expect(normaliseDoi('10.1/x')).toBeUndefined();
  });
});

describe('titleFingerprint', () => {
  it('folds case, diacritics, punctuation, stop words and British spellings', () => {
    expect(titleFingerprint('Peer-Support Groups for the Élderly: a Randomised Trial.')).toBe(
      titleFingerprint('peer support groups for elderly - a randomized trial'),
    );
  });

  it('ignores a RETRACTED marker and PubMed brackets around a translated title', () => {
    const plain = titleFingerprint('Peer support and loneliness in schizophrenia');
    expect(titleFingerprint('RETRACTED: Peer support and loneliness in schizophrenia')).toBe(plain);
    expect(titleFingerprint('[Peer support and loneliness in schizophrenia].')).toBe(plain);
  });

  it('keeps different titles apart', () => {
    expect(titleFingerprint('Peer support for depression')).not.toBe(
      titleFingerprint('Peer support for anxiety'),
    );
  });
});

describe('surname', () => {
  it('reads PubMed, RIS and given-name-first styles alike', () => {
    expect(surname('Rüsch N')).toBe('rusch');
    expect(surname('Rusch, Nicolas')).toBe('rusch');
    expect(surname('Nicolas Rüsch')).toBe('rusch');
    expect(surname('van der Berg JA')).toBe('vanderberg');
  });
});

describe('dedupKeys', () => {
  it('lists PMID, DOI and the near-duplicate key, strongest first', () => {
    const keys = dedupKeys(bibRecord({ id: 'pubmed:1', pmid: '1', doi: 'https://doi.org/10.1000/ABC' }));
    expect(keys.map((key) => key.kind)).toEqual(['pmid', 'doi', 'title']);
    expect(keys[1]?.value).toBe('10.1000/abc');
    expect(keys[2]?.value).toBe(
      'peer support groups people severe mental illness randomized controlled trial|2020|rusch',
    );
  });

  it('gives a registration its NCT key but no title key, so a publication is linked to it, not folded in', () => {
    const registration = bibRecord({ id: 'ctgov:NCT01234567', source: 'ctgov', nctIds: ['NCT01234567'] });
    expect(dedupKeys(registration)).toEqual([{ kind: 'nct', value: 'NCT01234567' }]);
    const publication = bibRecord({ id: 'pubmed:2', pmid: '2', nctIds: ['NCT01234567'] });
    expect(dedupKeys(publication).map((key) => key.kind)).not.toContain('nct');
  });

  it('gives no near-duplicate key to a title too short to tell records apart', () => {
    expect(dedupKeys(bibRecord({ id: 'ris:1', source: 'ris', title: 'Editorial' }))).toEqual([]);
  });

  it('looks a near duplicate up in the neighbouring years too (a preprint and its article)', () => {
    const years = lookupKeys(bibRecord({ id: 'ris:2', source: 'ris' }))
      .filter((key) => key.kind === 'title')
      .map((key) => key.value.split('|')[1]);
    expect(years).toEqual(['2020', '2019', '2021']);
  });
});

describe('boundedKeyValue', () => {
  const long = (ending: string) => `${'fingerprint word '.repeat(200)}${ending}`;

  it('leaves a value of ordinary length as it is, so stored claims keep their keys', () => {
    expect(boundedKeyValue('10.1056/nejmoa1715274')).toBe('10.1056/nejmoa1715274');
    const atTheLimit = 'x'.repeat(MAX_KEY_VALUE_BYTES);
    expect(boundedKeyValue(atTheLimit)).toBe(atTheLimit);
  });

  it('bounds a long value, giving equal values equal keys and different ones different keys', () => {
    const bounded = boundedKeyValue(long('one'));
    expect(Buffer.byteLength(bounded)).toBeLessThanOrEqual(MAX_KEY_VALUE_BYTES);
    expect(bounded.startsWith('fingerprint word')).toBe(true);
    expect(boundedKeyValue(long('one'))).toBe(bounded);
    expect(boundedKeyValue(long('two'))).not.toBe(bounded);
  });

  it('bounds multi-byte text by its UTF-8 length, never splitting a surrogate pair', () => {
    expect(Buffer.byteLength(boundedKeyValue('ü'.repeat(600)))).toBeLessThanOrEqual(MAX_KEY_VALUE_BYTES);
    const bounded = boundedKeyValue(`x${'😀'.repeat(300)}`);
    expect(Buffer.byteLength(bounded)).toBeLessThanOrEqual(MAX_KEY_VALUE_BYTES);
    // A lone surrogate would not survive a round trip through UTF-8.
    expect(Buffer.from(bounded, 'utf8').toString('utf8')).toBe(bounded);
  });

  it('bounds the title key of a record with a 5 KB title, and the DOI key of a 3 KB DOI', () => {
    const title = Array.from({ length: 700 }, (_, index) => `word${index}`).join(' ');
    const record = bibRecord({
      id: 'ris:1',
      source: 'ris',
      pmid: undefined,
      doi: `10.1234/${'x'.repeat(3_000)}`,
      title,
    });
    for (const key of lookupKeys(record)) {
      expect(Buffer.byteLength(key.value)).toBeLessThanOrEqual(MAX_KEY_VALUE_BYTES);
    }
    expect(lookupKeys(record).map((key) => key.kind)).toEqual(['doi', 'title', 'title', 'title']);
  });
});
