/**
 * Bodies past DynamoDB's 400 KB item limit (dynalite enforces it too): an analysis version or a document whose
 * JSON is too large for one item is stored as content-addressed chunks under BODY#<sha256> before its head item,
 * and read back whole and checked, or not at all.
 */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamagedStoreError } from '#shared/errors.ts';
import { documentClientFor } from '#shared/store/config.ts';
import { itemKeys } from '#shared/store/dynamo.ts';
import { CHUNK_BYTES, MAX_INLINE_BODY_BYTES, splitUtf8 } from '#shared/store/large-body.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { dumpTable, memoryStore } from '#test/support/store.ts';

let local: LocalStore;
beforeEach(async () => {
  local = await memoryStore();
});
afterEach(async () => {
  await local.close();
});

/** Plain data of about `bytes` bytes of JSON, with non-ASCII text so chunk cuts meet multi-byte characters. */
function bigBody(bytes: number, seed: string) {
  const rows: { id: string; label: string; yi: number; note: string }[] = [];
  let size = 0;
  for (let index = 0; size < bytes; index++) {
    const row = {
      id: `${seed}-${index}`,
      label: `Étude ${index} — Rüsch et al. ✓ 𝛼=0.05`,
      yi: Math.sin(index) / 3,
      note: 'x'.repeat(index % 97),
    };
    size += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return { seed, rows };
}

const byteLength = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const documents = () => documentClientFor(local.client);
const table = () => local.config.tableName;

/** The raw items under one partition, as the table holds them (paged: a query page stops at 1 MB). */
async function partition(pk: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function headOfVersion(version: number): Promise<Record<string, unknown>> {
  const [head] = (await partition('ANALYSIS')).filter((item) => item.sk === itemKeys.analysis(version).sk);
  if (!head) throw new Error(`no head for version ${version}`);
  return head;
}

describe('large bodies', () => {
  it('cuts UTF-8 text only between characters, and joining the pieces gives it back exactly', () => {
    const text = 'aé✓𝛼'.repeat(1000);
    for (const size of [4, 5, 7, 100]) {
      const pieces = splitUtf8(text, size);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) expect(Buffer.byteLength(piece, 'utf8')).toBeLessThanOrEqual(size);
    }
  });

  it('round-trips a 1.5 MB analysis version through put, latest and list; the head holds only hash and count', async () => {
    const small = { version: 1, hash: 'h1', createdAt: '2026-12-01T00:00:00.000Z', body: { k: 8 } };
    const body = bigBody(1_500_000, 'v2');
    expect(byteLength(body)).toBeGreaterThan(1_500_000);
    const large = { version: 2, hash: 'h2', createdAt: '2026-12-01T01:00:00.000Z', body };
    expect(await local.store.putAnalysisVersion(small)).toBe(true);
    expect(await local.store.putAnalysisVersion(large)).toBe(true);

    expect(await local.store.latestAnalysisVersion()).toEqual(large);
    expect(await local.store.listAnalysisVersions()).toEqual([small, large]);

    // A small body stays exactly as before (data in the item); a large one is named by hash and chunk count.
    expect((await headOfVersion(1)).data).toBe(JSON.stringify(small.body));
    const head = await headOfVersion(2);
    expect(head.data).toBeUndefined();
    expect(head.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    const chunks = await partition(`BODY#${String(head.bodySha256)}`);
    expect(chunks).toHaveLength(Number(head.bodyChunks));
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(byteLength(body) / CHUNK_BYTES));
    expect(chunks.map((chunk) => chunk.data).join('')).toBe(JSON.stringify(body));
    for (const chunk of chunks) {
      expect(Object.keys(chunk).sort()).toEqual(['data', 'pk', 'sk']);
      expect(Buffer.byteLength(String(chunk.data), 'utf8')).toBeLessThanOrEqual(CHUNK_BYTES);
    }
  }, 60_000);

  it('round-trips a 1 MB document through put, get and list; chunks never show in a listing', async () => {
    const body = bigBody(1_000_000, 'study');
    expect(byteLength(body)).toBeGreaterThan(MAX_INLINE_BODY_BYTES * 3);
    await local.store.putDocument({ kind: 'study', id: 's1', body, updatedAt: '2026-12-01' });
    await local.store.putDocument({ kind: 'study', id: 's2', body: { arms: 2 }, updatedAt: '2026-12-01' });
    const expected = { kind: 'study', id: 's1', body, updatedAt: '2026-12-01' };
    expect(await local.store.getDocument('study', 's1')).toEqual(expected);
    expect(await local.store.listDocuments('study')).toEqual([
      expected,
      { kind: 'study', id: 's2', body: { arms: 2 }, updatedAt: '2026-12-01' },
    ]);

    // Replaced by a small body: read as the small body; the old chunks stay unreferenced and harmless.
    await local.store.putDocument({ kind: 'study', id: 's1', body: { arms: 3 }, updatedAt: '2026-12-02' });
    expect((await local.store.getDocument('study', 's1'))?.body).toEqual({ arms: 3 });
    expect((await local.store.listDocuments('study')).map((doc) => doc.body)).toEqual([
      { arms: 3 },
      { arms: 2 },
    ]);
  }, 60_000);

  it('stores a body just over the inline limit in chunks, and one at the limit inline', async () => {
    const json = (bytes: number) => 'y'.repeat(bytes - 2); // a JSON string: two quotes and the letters
    await local.store.putDocument({
      kind: 'edge',
      id: 'at',
      body: json(MAX_INLINE_BODY_BYTES),
      updatedAt: 'a',
    });
    await local.store.putDocument({
      kind: 'edge',
      id: 'over',
      body: json(MAX_INLINE_BODY_BYTES + 1),
      updatedAt: 'a',
    });
    const [at] = await partition(itemKeys.document('edge', 'at').pk);
    const [over] = await partition(itemKeys.document('edge', 'over').pk);
    expect(typeof at?.data).toBe('string');
    expect(over).toMatchObject({ bodyChunks: 2 });
    expect((await local.store.getDocument('edge', 'over'))?.body).toBe(json(MAX_INLINE_BODY_BYTES + 1));
  }, 60_000);

  describe('a damaged body fails the read loudly, naming what could not be read', () => {
    async function storeLargeVersion() {
      const version = { version: 3, hash: 'h3', createdAt: '2026-12-01', body: bigBody(700_000, 'v3') };
      expect(await local.store.putAnalysisVersion(version)).toBe(true);
      const head = await headOfVersion(3);
      return { pk: `BODY#${String(head.bodySha256)}`, count: Number(head.bodyChunks) };
    }

    it('a missing chunk', async () => {
      const { pk, count } = await storeLargeVersion();
      expect(count).toBe(3);
      await documents().send(new DeleteCommand({ TableName: table(), Key: { pk, sk: 'C#0001' } }));
      for (const read of [
        () => local.store.latestAnalysisVersion(),
        () => local.store.listAnalysisVersions(),
      ]) {
        const failure = read();
        await expect(failure).rejects.toThrow(DamagedStoreError);
        await expect(failure).rejects.toThrow(/analysis version 3: .*3 chunks.*C#0001/);
      }
    }, 60_000);

    it('a chunk overwritten with other text', async () => {
      const { pk } = await storeLargeVersion();
      const [first] = await partition(pk);
      const altered = String(first?.data).replace('Étude 1 ', 'Étude 9 ');
      expect(altered).not.toBe(first?.data);
      await documents().send(
        new PutCommand({ TableName: table(), Item: { pk, sk: 'C#0000', data: altered } }),
      );
      await expect(local.store.latestAnalysisVersion()).rejects.toThrow(
        /analysis version 3: .* hash to [0-9a-f]{64}, not to the hash its item holds/,
      );
    }, 60_000);

    it("a document's missing chunk, on get and on list", async () => {
      await local.store.putDocument({
        kind: 'outcome-row',
        id: 'trial A#1',
        body: bigBody(400_000, 'row'),
        updatedAt: '2026-12-01',
      });
      const [head] = await partition(itemKeys.document('outcome-row', 'trial A#1').pk);
      await documents().send(
        new DeleteCommand({
          TableName: table(),
          Key: { pk: `BODY#${String(head?.bodySha256)}`, sk: 'C#0001' },
        }),
      );
      await expect(local.store.getDocument('outcome-row', 'trial A#1')).rejects.toThrow(
        /document outcome-row "trial A#1": .*missing/,
      );
      await expect(local.store.listDocuments('outcome-row')).rejects.toThrow(DamagedStoreError);
    }, 60_000);
  });

  it('leaves exactly one version when two writers race for its number with large bodies', async () => {
    const racer = (seed: string) => ({
      version: 1,
      hash: seed,
      createdAt: '2026-12-01',
      body: bigBody(800_000, seed),
    });
    const [a, b] = [racer('a'), racer('b')];
    const won = await Promise.all([local.store.putAnalysisVersion(a), local.store.putAnalysisVersion(b)]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = won[0] ? a : b;
    expect(await local.store.listAnalysisVersions()).toEqual([winner]);
    expect(await local.store.latestAnalysisVersion()).toEqual(winner);
  }, 60_000);

  it('a run killed after writing chunks but before the head leaves no version; the retry completes it', async () => {
    const version = { version: 1, hash: 'h', createdAt: '2026-12-01', body: bigBody(700_000, 'killed') };
    const before = await dumpTable(local);
    // The run dies at its head write: every request naming the ANALYSIS partition fails from now on.
    let killed = true;
    const kill = 'killAtHeadWrite';
    local.client.middlewareStack.add(
      (next) => async (args) => {
        const item = (args.input as { Item?: { pk?: { S?: string } } }).Item;
        if (killed && item?.pk?.S === 'ANALYSIS') throw new Error('killed');
        return next(args);
      },
      { step: 'build', name: kill },
    );
    await expect(local.store.putAnalysisVersion(version)).rejects.toThrow('killed');
    const after = await dumpTable(local);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.every((item) => before.includes(item) || item.includes('"BODY#'))).toBe(true);
    expect(await local.store.latestAnalysisVersion()).toBeUndefined();
    expect(await local.store.listAnalysisVersions()).toEqual([]);

    killed = false;
    local.client.middlewareStack.remove(kill);
    expect(await local.store.putAnalysisVersion(version)).toBe(true);
    expect(await local.store.latestAnalysisVersion()).toEqual(version);
    // The retry wrote the same chunk items again, not new ones.
    expect((await dumpTable(local)).length).toBe(after.length + 1);
  }, 60_000);
});
