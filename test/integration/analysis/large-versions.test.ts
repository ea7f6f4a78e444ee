/**
 * An analysis version past DynamoDB's 400 KB item limit, end to end: the reanalysis stores it and reads it back
 * (the version it diffs against, the hash that says nothing changed), publishing shows it; and a version that
 * cannot be stored at all stops publishing with an error instead of publishing the stale version.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnalysisBody, analyseEvidence, reanalyse } from '#shared/analysis/reanalyse.ts';
import { publishPage } from '#shared/cycle.ts';
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { importExtraction } from '#shared/extraction/import.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import { documentClientFor } from '#shared/store/config.ts';
import { DynamoStore, itemKeys } from '#shared/store/dynamo.ts';
import { MAX_INLINE_BODY_BYTES } from '#shared/store/large-body.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { runCli } from '#test/support/cli.ts';
import { metapsyText, withCell } from '#test/support/extraction-fixtures.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { memoryStore, steppingClock } from '#test/support/store.ts';

let local: LocalStore;
let site: string;
const clock = steppingClock('2026-12-01T06:00:00.000Z');

async function importText(text: string) {
  await importExtraction(text, 'metapsy', {
    store: documentExtractionStore(local.store, clock),
    config: review.extraction,
    document: 'data.csv',
  });
}

const run = (reason: string) => reanalyse(review, { store: local.store, clock }, reason);

/** The raw head item of one version, as the table holds it. */
async function head(version: number) {
  const { Item } = await documentClientFor(local.client).send(
    new GetCommand({
      TableName: local.config.tableName,
      Key: itemKeys.analysis(version),
      ConsistentRead: true,
    }),
  );
  return Item ?? {};
}

// A reason as long as a large plan's output: the body the reanalysis itself builds and stores is then ~1.5 MB.
const longReason = `schedule — ${'Ré-analyse nach Import ✓ '.repeat(60_000)}`;
// Row 8 of the Metapsy file is Cook 2012a's recovery result (RAS total).
const cookRecoveryRow = 8;

beforeEach(async () => {
  local = await memoryStore();
  site = mkdtempSync(join(tmpdir(), 'living-review-large-'));
  await importText(metapsyText());
});
afterEach(async () => {
  vi.restoreAllMocks();
  await local.close();
  rmSync(site, { recursive: true, force: true });
});

describe('an analysis version too large for one item', () => {
  it('is stored by the reanalysis, read back by the next one, diffed against, and published', async () => {
    const first = await run(longReason);
    expect(first).toMatchObject({ version: 1, created: true });
    const stored = await head(1);
    expect(stored.data).toBeUndefined();
    expect(Number(stored.bodyChunks)).toBeGreaterThan(1);

    const expected = analyseEvidence(review, await loadEvidence(review, local.store, clock));
    const latest = await local.store.latestAnalysisVersion();
    expect(Buffer.byteLength(JSON.stringify(latest?.body), 'utf8')).toBeGreaterThan(
      4 * MAX_INLINE_BODY_BYTES,
    );
    expect(latest).toMatchObject({ version: 1, hash: expected.hash });
    expect(latest?.body).toEqual({ analyses: expected.analyses, changes: [], reason: longReason });

    // The same inputs: the reanalysis reads the large version back and finds its hash unchanged.
    expect(await run('schedule')).toMatchObject({ version: 1, created: false });

    // Changed inputs: the new version's changes are computed against the large version's analyses.
    await importText(withCell(metapsyText(), cookRecoveryRow, 'mean_arm1', '93,9'));
    const second = await run(longReason);
    expect(second).toMatchObject({ version: 2, created: true });
    expect(second.changes.some((c) => c.outcome === 'recovery' && /estimate moved/.test(c.description))).toBe(
      true,
    );
    expect((await head(2)).data).toBeUndefined();
    expect((await local.store.listAnalysisVersions()).map((v) => (v.body as AnalysisBody).reason)).toEqual([
      longReason,
      longReason,
    ]);

    const published = await publishPage({
      review,
      store: local.store,
      clock,
      notifier: { send: async () => {} },
      site: localFolderWriter(site),
      siteLocation: site,
    });
    expect(published.analysisVersion).toBe(2);
    expect(await local.store.listPublishes()).toMatchObject([{ analysisVersion: 2 }]);
  }, 120_000);

  it('that cannot be stored stops publishing with the error: nothing published, no stale page', async () => {
    // A stale version whose hash no longer matches the evidence, as left by runs whose new version failed.
    await local.store.putAnalysisVersion({
      version: 1,
      hash: 'stale',
      createdAt: '2026-11-01T00:00:00.000Z',
      body: { analyses: [], changes: [], reason: 'old' } satisfies AnalysisBody,
    });
    const tooLarge = Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
      name: 'ValidationException',
    });
    vi.spyOn(DynamoStore.prototype, 'putAnalysisVersion').mockRejectedValue(tooLarge);
    const publishing = publishPage({
      review,
      store: local.store,
      clock,
      notifier: { send: async () => {} },
      site: localFolderWriter(site),
      siteLocation: site,
    });
    await expect(publishing).rejects.toThrow('Item size has exceeded the maximum allowed size');
    expect(await local.store.listPublishes()).toEqual([]);
    expect(readdirSync(site)).toEqual([]);
  }, 120_000);
});

describe('the publish command when the new version cannot be stored', () => {
  it('exits non-zero with the error on stderr and writes no page', async () => {
    const data = mkdtempSync(join(tmpdir(), 'living-review-large-data-'));
    try {
      vi.spyOn(DynamoStore.prototype, 'putAnalysisVersion').mockRejectedValue(
        Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
          name: 'ValidationException',
        }),
      );
      const result = await runCli(['publish', '--data', data, '--site', site]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/Item size has exceeded the maximum allowed size/);
      expect(readdirSync(site)).toEqual([]);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
