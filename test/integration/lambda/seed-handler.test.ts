/**
 * The seed function as deployed (functions/seed, run by a CDK Trigger after each deployment that changes it), on
 * an empty dynalite store and an in-memory site bucket: the first run stores the review's baseline (the published
 * review's included reports and trials, its data files), makes the first analysis version and publishes the page
 * with the baseline trials in it; a second run adds nothing but its own entry in the publish log.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CyclePorts } from '#shared/cycle.ts';
import { s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { groupPeerSupportSeed, groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { dumpTable, memoryStore, steppingClock } from '#test/support/store.ts';
import { createSeedHandler } from '../../../functions/seed/handler.ts';

const BUCKET = 'living-review-site';
const silent = new Logger({ logLevel: 'SILENT' });

let local: LocalStore;
let ports: CyclePorts;
const site = fakeS3(BUCKET);

beforeAll(async () => {
  local = await memoryStore();
  ports = {
    review,
    store: local.store,
    clock: steppingClock('2026-12-01T08:00:00.000Z'),
    notifier: { send: async () => {} },
  };
});

afterAll(async () => {
  await local.close();
});

const seedHandler = () =>
  createSeedHandler({
    logger: silent,
    ports,
    seed: groupPeerSupportSeed,
    target: { site: s3SiteWriter(site.calls, BUCKET), siteLocation: `s3://${BUCKET}/` },
  });

describe('the seed function', () => {
  it('stores the baseline of an empty deployment, analyses it and publishes the page', async () => {
    expect(await dumpTable(local)).toEqual([]);

    const report = await seedHandler()();

    const trials = review.baseline.trials;
    expect(report).toMatchObject({ analysisVersion: 1, analysisCreated: true });
    expect(report.newIncludedRecords).toBeGreaterThan(0);
    expect(report.decisionsAdded).toBeGreaterThan(0);
    expect(report.candidatesQueued).toBeGreaterThan(0);
    expect(report.published.written).toBeGreaterThan(0);
    const evidence = await loadEvidence(review, local.store, ports.clock);
    const included = evidence.units.filter((unit) => unit.status === 'included').map((unit) => unit.label);
    expect(included.sort()).toEqual(trials.map((trial) => trial.study.label).sort());
    const page = new TextDecoder().decode(site.objects.get('index.html')?.bytes);
    for (const trial of trials) expect(page).toContain(trial.study.label);
    expect((await local.store.listPublishes()).map((entry) => entry.analysisVersion)).toEqual([1]);
  }, 120_000);

  it('adds nothing on a second run: no record, decision, data or version, only its publish-log entry', async () => {
    const before = await dumpTable(local);

    const report = await seedHandler()();

    expect(report).toMatchObject({
      newIncludedRecords: 0,
      decisionsAdded: 0,
      candidatesQueued: 0,
      analysisVersion: 1,
      analysisCreated: false,
    });
    const after = await dumpTable(local);
    expect(before.filter((item) => !after.includes(item))).toEqual([]);
    const added = after.filter((item) => !before.includes(item));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain('"pk":{"S":"PUBLISH"}');
  }, 120_000);
});
