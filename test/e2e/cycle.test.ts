import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Digest } from '#shared/alerts/digest.ts';
import { reviewStatus } from '#shared/screening/screen.ts';
import type { FaultKind } from '#shared/sources/replay/server.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { random } from '#test/support/crash.ts';
import { demoCycle } from '#test/support/cycle.ts';
import { dumpTable, memoryStore } from '#test/support/store.ts';

const stores: LocalStore[] = [];
async function freshStore(): Promise<LocalStore> {
  const local = await memoryStore();
  stores.push(local);
  return local;
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((local) => local.close()));
});

/** Everything stored, with times blanked and the publish log left out: what a cycle must leave the same. */
async function storedState(local: LocalStore): Promise<string[]> {
  return (await dumpTable(local))
    .filter((item) => !item.includes('"PUBLISH"'))
    .map((item) => item.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>'))
    .sort();
}

const withoutLastChecked = (html: string) => html.replace(/sources last checked [^·]*·/, '');

describe('the whole cycle, offline on the demo recordings', () => {
  it('finds the demo story on a first cycle: a duplicate of an included trial, a linked registration, a status change and a retraction', async () => {
    const local = await freshStore();
    const { summary, digests } = await demoCycle(local);
    const [pubmed, ctgov] = summary.polls;
    if (!pubmed?.ok || !ctgov?.ok) throw new Error('a source failed on a clean run');
    expect(pubmed.summary.ingest.duplicates).toEqual([
      expect.objectContaining({
        id: 'pubmed:90000001',
        matchedKey: expect.objectContaining({ kind: 'title' }),
      }),
    ]);
    expect(pubmed.summary.ingest.retractions.map((r) => r.id)).toEqual(['pubmed:90000003']);
    expect(ctgov.summary.ingest.linked.map((l) => l.nctId)).toContain('NCT99000001');
    expect(ctgov.summary.ingest.registryChanges).toEqual([
      expect.objectContaining({ id: 'ctgov:NCT99000002', to: { status: 'COMPLETED', hasResults: true } }),
    ]);
    expect(digests.reduce((n, d) => n + d.newCount, 0)).toBe(4);
    expect(summary.published.written).toContain('index.html');
  });

  it('adds nothing, alerts nothing and leaves the page as it was, but for "last checked", on a second cycle', async () => {
    const local = await freshStore();
    const first = await demoCycle(local);
    const before = await storedState(local);
    const page = readFileSync(join(first.site, 'index.html'), 'utf8');
    const second = await demoCycle(local, { site: first.site });
    expect(second.digests).toEqual([]);
    expect(second.summary.analysis.created).toBe(false);
    for (const poll of second.summary.polls) {
      if (!poll.ok) throw new Error(poll.error);
      expect(poll.summary.ingest.new).toEqual([]);
    }
    expect(await storedState(local)).toEqual(before);
    expect(withoutLastChecked(readFileSync(join(first.site, 'index.html'), 'utf8'))).toBe(
      withoutLastChecked(page),
    );
  });

  const kinds: FaultKind[] = ['500', '429', 'reset', 'truncate', 'error-200', 'stall'];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`ends with the store of a fault-free run after a cycle with faults at random positions and a clean cycle (seed ${seed})`, async () => {
      const clean = await freshStore();
      const reference = await demoCycle(clean);
      const requests = reference.requests.length;
      const next = random(seed);
      const at = 1 + Math.floor(next() * requests);
      const kind = kinds[Math.floor(next() * kinds.length)] as FaultKind;
      // Three faults in a row outlast the two retries: the source fails and must keep its watermark.
      const faults = [at, at + 1, at + 2].map((n) => ({ at: n, kind, retryAfter: '0' }));

      const faulty = await freshStore();
      const broken = await demoCycle(faulty, { faults });
      expect(broken.summary.sourceFailed).toBe(true);
      expect(broken.summary.published.written).toContain('index.html');
      const failed = broken.summary.polls.find((poll) => !poll.ok);
      if (!failed || failed.ok) throw new Error('expected a failed source');
      expect(await faulty.store.getWatermark(failed.source)).toBeUndefined();

      await demoCycle(faulty);
      expect(await storedState(faulty)).toEqual(await storedState(clean));
    });
  }

  it('leaves no duplicate record, queue entry or alert when two cycles start at the same time', async () => {
    const local = await freshStore();
    const digests: Digest[] = [];
    await Promise.all([demoCycle(local, { digests }), demoCycle(local, { digests })]);
    const alertedIds = digests.flatMap((digest) => digest.top.map((item) => item.id));
    expect(new Set(alertedIds).size).toBe(alertedIds.length);
    expect(digests.reduce((n, d) => n + d.newCount, 0)).toBe(4);
    expect(digests.flatMap((d) => d.registryChanges)).toHaveLength(1);

    const single = await freshStore();
    await demoCycle(single);
    const [together, alone] = await Promise.all([reviewStatus(local.store), reviewStatus(single.store)]);
    expect(together.records).toBe(alone.records);
    expect(together.duplicates).toBe(alone.duplicates);
    expect(together.queue).toEqual(alone.queue);
  });
});
