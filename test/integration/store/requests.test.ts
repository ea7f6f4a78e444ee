import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '#shared/records/ingest.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { countRequests } from '#test/support/requests.ts';
import { bibRecord, memoryStore, steppingClock } from '#test/support/store.ts';

let local: LocalStore;
beforeAll(async () => {
  local = await memoryStore();
});
afterAll(async () => {
  await local.close();
});

const batch = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => {
    const n = from + index;
    return bibRecord({
      id: `pubmed:${n}`,
      pmid: String(n),
      doi: `10.5555/req.${n}`,
      title: `Trial ${n} of peer groups`,
    });
  });

describe('requests per ingested record', () => {
  it('stay the same as the store grows, with no scan', async () => {
    const counter = countRequests(local.client);
    const clock = steppingClock();
    const perRecord: number[] = [];
    for (const from of [0, 20, 40, 60]) {
      counter.reset();
      await ingest(batch(from, 20), { store: local.store, clock }, { dualFraction: 0 });
      expect(counter.byCommand()).not.toHaveProperty('ScanCommand');
      perRecord.push(counter.total() / 20);
    }
    expect(new Set(perRecord).size).toBe(1);
  });
});
