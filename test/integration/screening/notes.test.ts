import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '#shared/errors.ts';
import { ingest } from '#shared/records/ingest.ts';
import { NOTE_LIMIT, screenRecord } from '#shared/screening/screen.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { groupPeerSupportEligibility as eligibility } from '#test/support/group-peer-support.ts';
import { bibRecord, memoryStore, steppingClock } from '#test/support/store.ts';

let local: LocalStore;
const clock = steppingClock();

beforeAll(async () => {
  local = await memoryStore();
  await ingest([bibRecord({ id: 'pubmed:1', pmid: '1', title: 'A peer group trial' })], {
    store: local.store,
    clock,
  });
});
afterAll(() => local.close());

describe('a note with a screening decision', () => {
  it('is kept with the decision in the store, trimmed', async () => {
    await screenRecord(
      {
        recordId: 'pubmed:1',
        reviewer: 'ana',
        decision: 'maybe',
        stage: 'title-abstract',
        note: '  check the arms  ',
      },
      { store: local.store, clock, eligibility },
    );
    const [decision] = await local.store.decisionsFor('pubmed:1');
    expect(decision?.note).toBe('check the arms');
  });

  it('longer than the limit is refused and nothing is stored', async () => {
    const request = {
      recordId: 'pubmed:1',
      reviewer: 'ben',
      decision: 'include' as const,
      stage: 'title-abstract' as const,
      note: 'x'.repeat(NOTE_LIMIT + 1),
    };
    await expect(screenRecord(request, { store: local.store, clock, eligibility })).rejects.toBeInstanceOf(
      InputError,
    );
    expect((await local.store.decisionsFor('pubmed:1')).map((d) => d.reviewer)).toEqual(['ana']);
  });
});
