import { describe, expect, it } from 'vitest';
import { independentGroups } from '#shared/records/independent-groups.ts';
import { bibRecord } from '#test/support/store.ts';

describe('independentGroups', () => {
  it('keeps records sharing a DOI, a near-duplicate title or an id together, in batch order', () => {
    const records = [
      bibRecord({
        id: 'pubmed:1',
        pmid: '1',
        doi: '10.5555/a',
        title: 'First distinct trial of peer groups',
      }),
      bibRecord({ id: 'pubmed:2', pmid: '2', title: 'Second distinct trial of peer groups' }),
      bibRecord({ id: 'ris:x', source: 'ris', doi: '10.5555/A', title: 'Another title entirely for this' }),
      bibRecord({ id: 'ris:y', source: 'ris', title: 'Second distinct trial of peer groups', year: 2021 }),
      bibRecord({ id: 'pubmed:2', pmid: '2', title: 'Second distinct trial of peer groups' }),
    ];
    expect(independentGroups(records)).toEqual([
      [0, 2],
      [1, 3, 4],
    ]);
  });

  it('keeps a registration with the publications whose PMIDs it cites', () => {
    const registration = bibRecord({
      id: 'ctgov:NCT01234567',
      source: 'ctgov',
      nctIds: ['NCT01234567'],
      registry: { status: 'COMPLETED', hasResults: false, pmids: ['77'] },
    });
    const cited = bibRecord({ id: 'pubmed:77', pmid: '77', title: 'Cited results paper of the trial' });
    const unrelated = bibRecord({ id: 'pubmed:88', pmid: '88', title: 'Unrelated paper on something else' });
    expect(independentGroups([registration, unrelated, cited])).toEqual([[0, 2], [1]]);
  });
});
