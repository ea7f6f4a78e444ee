import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStore } from '#shared/store/local.ts';
import { memoryStore } from '#test/support/store.ts';

let local: LocalStore;
beforeAll(async () => {
  local = await memoryStore();
});
afterAll(async () => {
  await local.close();
});

describe('the store beyond records and decisions', () => {
  it('keeps each source watermark', async () => {
    expect(await local.store.getWatermark('pubmed')).toBeUndefined();
    await local.store.setWatermark('pubmed', '2026-01-05T06:00:00.000Z');
    await local.store.setWatermark('pubmed', '2026-01-12T06:00:00.000Z');
    expect(await local.store.getWatermark('pubmed')).toBe('2026-01-12T06:00:00.000Z');
    expect(await local.store.getWatermark('ctgov')).toBeUndefined();
  });

  it('stores typed JSON documents by kind and id and lists them by kind', async () => {
    await local.store.putDocument({ kind: 'study', id: 's1', body: { arms: 2 }, updatedAt: '2026-01-05' });
    await local.store.putDocument({ kind: 'study', id: 's2', body: { arms: 3 }, updatedAt: '2026-01-05' });
    await local.store.putDocument({
      kind: 'outcome-row',
      id: 's1#1',
      body: { yi: 0.2 },
      updatedAt: '2026-01-05',
    });
    expect((await local.store.listDocuments('study')).map((doc) => doc.id)).toEqual(['s1', 's2']);
    expect((await local.store.getDocument('outcome-row', 's1#1'))?.body).toEqual({ yi: 0.2 });
  });

  it('stores a document whose id is longer than a DynamoDB key can be (a 3 KB study label)', async () => {
    const label = (ending: string) => `${'very long study label '.repeat(140)}${ending}`;
    await local.store.putDocument({ kind: 'long', id: label('a'), body: { n: 1 }, updatedAt: '2026-01-05' });
    await local.store.putDocument({ kind: 'long', id: label('b'), body: { n: 2 }, updatedAt: '2026-01-05' });
    await local.store.putDocument({ kind: 'long', id: label('a'), body: { n: 3 }, updatedAt: '2026-01-06' });
    expect((await local.store.getDocument('long', label('a')))?.body).toEqual({ n: 3 });
    // Listed in key order, and a bounded key sorts by its hash after the common start: compare as a set.
    const listed = (await local.store.listDocuments('long')).map((doc) => [doc.id, doc.body]);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        [label('a'), { n: 3 }],
        [label('b'), { n: 2 }],
      ]),
    );
  });

  it('refuses to overwrite an analysis version and returns the latest', async () => {
    const v1 = { version: 1, hash: 'a', createdAt: '2026-01-05', body: { k: 8 } };
    expect(await local.store.putAnalysisVersion(v1)).toBe(true);
    expect(await local.store.putAnalysisVersion({ ...v1, hash: 'b' })).toBe(false);
    expect(await local.store.putAnalysisVersion({ ...v1, version: 2, hash: 'c' })).toBe(true);
    expect((await local.store.latestAnalysisVersion())?.hash).toBe('c');
    expect((await local.store.listAnalysisVersions()).map((version) => version.hash)).toEqual(['a', 'c']);
  });

  it('appends to the publish log in time order', async () => {
    await local.store.appendPublish({ publishedAt: '2026-01-06', analysisVersion: 2, location: 'site/' });
    await local.store.appendPublish({ publishedAt: '2026-01-05', analysisVersion: 1, location: 'site/' });
    expect((await local.store.listPublishes()).map((entry) => entry.analysisVersion)).toEqual([1, 2]);
  });

  it('remembers when included data last changed', async () => {
    expect(await local.store.includedDataChangedAt()).toBeUndefined();
    await local.store.markIncludedDataChanged('2026-01-07T10:00:00.000Z', 'test');
    expect(await local.store.includedDataChangedAt()).toBe('2026-01-07T10:00:00.000Z');
  });
});
