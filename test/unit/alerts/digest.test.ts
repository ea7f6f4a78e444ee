import { describe, expect, it } from 'vitest';
import { composeDigest, renderDigest, sourceLink } from '#shared/alerts/digest.ts';
import { bibRecord } from '#test/support/store.ts';

const keywords = ['peer support', 'group', 'recovery'];
const base = { date: '2026-01-05', registryChanges: [], retractions: [], keywords };

describe('composeDigest', () => {
  it('sends nothing when nothing is new', () => {
    expect(composeDigest({ ...base, newRecords: [] })).toBeUndefined();
  });

  it('counts new records and ranks the most relevant first, saying why each matched', () => {
    const offTopic = bibRecord({
      id: 'pubmed:1',
      pmid: '1',
      title: 'Budesonide in mild asthma',
      abstract: '',
    });
    const onTopic = bibRecord({
      id: 'pubmed:2',
      pmid: '2',
      title: 'Peer support groups for recovery: a randomised controlled trial',
    });
    const digest = composeDigest({ ...base, newRecords: [offTopic, onTopic], top: 1 });
    expect(digest?.newCount).toBe(2);
    expect(digest?.top).toEqual([
      {
        id: 'pubmed:2',
        title: onTopic.title,
        link: 'https://pubmed.ncbi.nlm.nih.gov/2/',
        why: 'randomised trial; mentions "peer support", "group", "recovery"',
      },
    ]);
  });

  it('puts the retraction of an included record first and says the analysis must be re-run', () => {
    const digest = composeDigest({
      ...base,
      newRecords: [],
      retractions: [
        { id: 'ris:a', canonicalId: 'ris:a', title: 'Not included', included: false },
        { id: 'pubmed:9', canonicalId: 'pubmed:9', title: 'Included trial', included: true },
      ],
    });
    expect(digest?.retractions.map((retraction) => retraction.id)).toEqual(['pubmed:9', 'ris:a']);
    const text = renderDigest(digest as NonNullable<typeof digest>);
    expect(text).toContain('Retraction of an included record');
    expect(text).toContain('pubmed:9: Included trial — the analysis must be re-run');
  });

  it('reports a registry status change and newly posted results', () => {
    const digest = composeDigest({
      ...base,
      newRecords: [],
      registryChanges: [
        {
          id: 'ctgov:NCT01234567',
          canonicalId: 'ctgov:NCT01234567',
          title: 'Peer groups trial',
          from: { status: 'RECRUITING', hasResults: false },
          to: { status: 'COMPLETED', hasResults: true },
        },
      ],
    });
    expect(renderDigest(digest as NonNullable<typeof digest>)).toContain(
      '- ctgov:NCT01234567: Peer groups trial (status RECRUITING → COMPLETED, results posted)',
    );
  });
});

describe('sourceLink', () => {
  it('links a registration to ClinicalTrials.gov and a RIS record to its DOI', () => {
    expect(sourceLink(bibRecord({ id: 'ctgov:NCT01234567', source: 'ctgov', nctIds: ['NCT01234567'] }))).toBe(
      'https://clinicaltrials.gov/study/NCT01234567',
    );
    expect(sourceLink(bibRecord({ id: 'ris:1', source: 'ris', doi: '10.5555/x' }))).toBe(
      'https://doi.org/10.5555/x',
    );
  });
});
