import { describe, expect, it } from 'vitest';
import { agreement } from '#shared/screening/kappa.ts';
import { type FullTextSecondReview, inSample, screeningState } from '#shared/screening/state.ts';
import { buildViews } from '#shared/screening/view.ts';
import type { StoredCopy } from '#shared/store/ports.ts';
import { decision } from '#test/support/screening.ts';
import { bibRecord } from '#test/support/store.ts';

/** "The second reviewer, blind to the first reviewer's screen, then screened all included studies and 10% of the
 * excluded studies" (Lyons et al. 2021, Methods). */
const rule: FullTextSecondReview = {
  allIncluded: true,
  excludedFraction: 0.1,
  settledBy: ['Published authors'],
};

const passedTitleAbstract = (id: string) => [decision(id, 'ana', 'include')];
const fullText = (id: string, reviewer: string, value: 'include' | 'exclude') =>
  decision(id, reviewer, value, { stage: 'full-text', ...(value === 'exclude' ? { reason: 'design' } : {}) });

/** Record ids on each side of the 10% sample, found by the same stable hash the rule uses. */
const ids = Array.from({ length: 200 }, (_, i) => `pubmed:${1000 + i}`);
const sampled = ids.filter((id) => inSample(id, 0.1));
const unsampled = ids.filter((id) => !inSample(id, 0.1));

describe('the full-text second review', () => {
  it('samples about a tenth of records, the same ones every time', () => {
    expect(sampled.length).toBeGreaterThan(8);
    expect(sampled.length).toBeLessThan(40);
    expect(ids.filter((id) => inSample(id, 0.1))).toEqual(sampled);
  });

  it('holds an inclusion until a second reviewer checks it, and includes when both agree', () => {
    const id = unsampled[0] as string;
    const one = [...passedTitleAbstract(id), fullText(id, 'ana', 'include')];
    expect(screeningState(one, false, rule).status).toBe('full-text');
    expect(screeningState(one, false, rule).fullText?.status).toBe('needs-second');
    expect(screeningState(one, false).status).toBe('included');
    const two = [...one, fullText(id, 'ben', 'include')];
    expect(screeningState(two, false, rule).status).toBe('included');
    const disagreed = [...one, fullText(id, 'ben', 'exclude')];
    expect(screeningState(disagreed, false, rule).fullText?.status).toBe('conflict');
  });

  it('checks a sampled exclusion and lets the others stand on one decision', () => {
    const kept = sampled[0] as string;
    const settled = unsampled[1] as string;
    expect(
      screeningState([...passedTitleAbstract(kept), fullText(kept, 'ana', 'exclude')], false, rule).status,
    ).toBe('full-text');
    expect(
      screeningState([...passedTitleAbstract(settled), fullText(settled, 'ana', 'exclude')], false, rule)
        .status,
    ).toBe('excluded-full-text');
  });

  it("settles the published review's own decisions alone: its process had the second check", () => {
    const id = unsampled[2] as string;
    const decisions = [
      decision(id, 'Published authors', 'include'),
      decision(id, 'Published authors', 'include', { stage: 'full-text' }),
    ];
    expect(screeningState(decisions, false, rule).status).toBe('included');
  });

  it('reports agreement at full text over every independently double-checked record, not only the dual sample', () => {
    const [a, b] = unsampled as [string, string];
    const copies: StoredCopy[] = [a, b].map((id) => ({
      id,
      source: 'pubmed',
      canonicalId: id,
      record: bibRecord({ id }),
      contentHash: id,
      cycle: '2026-01',
      importedAt: '2026-01-05T09:00:00.000Z',
      dual: false,
    }));
    const decisions = [
      ...passedTitleAbstract(a),
      fullText(a, 'ana', 'include'),
      fullText(a, 'ben', 'include'),
      ...passedTitleAbstract(b),
      fullText(b, 'ana', 'include'),
      fullText(b, 'ben', 'exclude'),
    ];
    const views = buildViews(copies, decisions, [], rule);
    expect(agreement(views, 'full-text')).toMatchObject({ pairs: 2, agreed: 1 });
    expect(agreement(views, 'title-abstract')).toMatchObject({ pairs: 0 });
  });
});
