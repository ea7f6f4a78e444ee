import { describe, expect, it } from 'vitest';
import { ctgovQuery, pubmedConcepts, pubmedTerm } from '#shared/sources/search-config.ts';
import { groupPeerSupportSearch as search } from '#test/support/group-peer-support.ts';

const HSSS =
  '(randomized controlled trial[pt] OR controlled clinical trial[pt] OR randomized[tiab] OR placebo[tiab] OR drug therapy[sh] OR randomly[tiab] OR trial[tiab] OR groups[tiab]) NOT (animals[mh] NOT humans[mh])';

describe('the group peer support search', () => {
  it('gives a reason beside every term', () => {
    const blocks = [...search.pubmed.blocks, search.ctgov.intervention, search.ctgov.term];
    for (const term of blocks.flatMap((block) => block.terms)) expect(term.why.length).toBeGreaterThan(10);
  });

  it('starts from the review last search date with a 3-day overlap', () => {
    expect(search.lastSearchDate).toBe('2019-07-12');
    expect(search.overlapDays).toBe(3);
  });

  it('ANDs the peer block, the group block and the Cochrane HSSS exactly as the Handbook gives it', () => {
    const concepts = pubmedConcepts(search);
    expect(concepts.endsWith(` AND (${HSSS})`)).toBe(true);
    expect(concepts).toMatch(
      /^\("peer support"\[tiab:~3\] OR .*"Self-Help Groups"\[mh\].*\) AND \(group\*\[all\]\) AND /,
    );
  });

  it('reads a window on both the creation and the entry date', () => {
    const term = pubmedTerm(search, { from: '2026-02-27', until: '2026-03-02' });
    expect(term).toContain(
      '(("2026/02/27"[crdt] : "2026/03/02"[crdt]) OR ("2026/02/27"[edat] : "2026/03/02"[edat]))',
    );
  });

  it('asks ClinicalTrials.gov for randomised registrations updated in the window', () => {
    const query = ctgovQuery(search, { from: '2019-07-12', until: '2026-11-21' });
    expect(query['query.intr']).toContain('"peer support"');
    expect(query['query.intr']).toContain('"mutual support"');
    expect(query['query.term']).toBe(
      '(group OR groups) AND AREA[DesignAllocation]RANDOMIZED AND AREA[LastUpdatePostDate]RANGE[2019-07-12,2026-11-21]',
    );
  });
});
