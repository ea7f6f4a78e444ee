import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CyclePorts, reanalyseReview } from '#shared/cycle.ts';
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { importExtraction } from '#shared/extraction/import.ts';
import { scheduledHandler } from '#shared/lambda/scheduled.ts';
import { s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';
import { itemKeys } from '#shared/store/dynamo.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { recordStudyEvent } from '#shared/studies/events.ts';
import { metapsyText } from '#test/support/extraction-fixtures.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { createIdempotencyTable, memoryStore, steppingClock } from '#test/support/store.ts';
import { createPublishHandler, publishLatest } from '../../../functions/publish/handler.ts';

const BUCKET = 'living-review-site';
const IDEMPOTENCY_TABLE = 'idempotency';
const SCHEDULE = 'arn:aws:scheduler:eu-west-2:123456789012:schedule/default/publish';
const silent = new Logger({ logLevel: 'SILENT' });
const context = { getRemainingTimeInMillis: () => 60_000, functionName: 'publish' } as unknown as Context;

let local: LocalStore;
let ports: CyclePorts;

beforeAll(async () => {
  local = await memoryStore();
  await createIdempotencyTable(local, IDEMPOTENCY_TABLE);
  const clock = steppingClock('2026-12-01T02:00:00.000Z');
  ports = { review, store: local.store, clock, notifier: { send: async () => {} } };
  await importExtraction(metapsyText(), 'metapsy', {
    store: documentExtractionStore(local.store, clock),
    config: review.extraction,
    document: 'data.csv',
  });
  await reanalyseReview(ports, 'test');
}, 60_000);

afterAll(async () => {
  await local.close();
});

/** The handler as deployed, on the local store and an in-memory bucket (or one it may not write to). */
function publishHandler(writableBucket = BUCKET) {
  const bucket = fakeS3(writableBucket);
  const publish = publishLatest(ports, {
    site: s3SiteWriter(bucket.calls, BUCKET),
    siteLocation: `s3://${BUCKET}/`,
  });
  const handler = createPublishHandler({
    logger: silent,
    publish,
    scheduled: scheduledHandler({
      logger: silent,
      dynamo: local.client,
      idempotencyTable: IDEMPOTENCY_TABLE,
      run: publish,
    }),
  });
  const publishedVersion = () => {
    const file = bucket.objects.get('analysis.json');
    return file
      ? (JSON.parse(new TextDecoder().decode(file.bytes)) as { version: number }).version
      : undefined;
  };
  return { handler, objects: bucket.objects, publishedVersion };
}

/** The batch Lambda hands the function for analysis versions inserted into the table. */
function versionInserts(...versions: number[]) {
  return {
    Records: versions.map((version, index) => ({
      eventID: `e${index}`,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-2',
      dynamodb: {
        Keys: { pk: { S: itemKeys.analysis(version).pk }, sk: { S: itemKeys.analysis(version).sk } },
        SequenceNumber: String(500 + index),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    })),
  };
}

const publishCount = async () => (await local.store.listPublishes()).length;

describe('the publish function on a new analysis version', () => {
  it('publishes the latest version once for a whole stream batch and reports no failures', async () => {
    const latest = await local.store.latestAnalysisVersion();
    if (!latest) throw new Error('no analysis version stored');
    const { handler, objects, publishedVersion } = publishHandler();
    const before = await publishCount();
    expect(await handler(versionInserts(1, 1, 1), context)).toEqual({ batchItemFailures: [] });
    expect(await publishCount()).toBe(before + 1);
    expect(objects.has('index.html')).toBe(true);
    expect(publishedVersion()).toBe(latest.version);
  });

  it('publishes whatever version is latest when the batch runs, not the one the record names', async () => {
    const latest = await local.store.latestAnalysisVersion();
    if (!latest) throw new Error('no analysis version stored');
    // The evidence changes after the batch's version was stored (a team decision about Kaplan 2011's data).
    await recordStudyEvent(local.store, {
      action: 'judge-data',
      studyId: 'kaplan-2011',
      usable: true,
      by: 'lead',
      at: '2026-12-01T02:30:00.000Z',
      reason: 'arm-level recovery data exist',
    });
    const next = await reanalyseReview(ports, 'team decision');
    expect(next.version).toBe(latest.version + 1);
    const { handler, publishedVersion } = publishHandler();
    expect(await handler(versionInserts(latest.version), context)).toEqual({ batchItemFailures: [] });
    expect(publishedVersion()).toBe(next.version);
  });

  it('reports the batch from its first record as failed when publishing fails, so Lambda retries it', async () => {
    const { handler, objects } = publishHandler('some-other-bucket');
    const before = await publishCount();
    const batch = versionInserts(2, 3);
    expect(await handler(batch, context)).toEqual({
      batchItemFailures: [{ itemIdentifier: batch.Records[0]?.dynamodb.SequenceNumber }],
    });
    expect(objects.size).toBe(0);
    expect(await publishCount()).toBe(before);
  });

  it('still publishes nightly, once per scheduled time, from the schedule payload', async () => {
    const { handler, publishedVersion } = publishHandler();
    const before = await publishCount();
    const nightly = { scheduleArn: SCHEDULE, scheduledTime: '2026-12-01T03:00:00Z', executionId: 'a' };
    const first = await handler(nightly, context);
    const retried = await handler({ ...nightly, executionId: 'b' }, context);
    expect(first).toMatchObject({ analysisVersion: publishedVersion(), location: `s3://${BUCKET}/` });
    expect(retried).toEqual(first);
    expect(await publishCount()).toBe(before + 1);
  });

  it('refuses a payload that is neither a stream batch nor a scheduled run, publishing nothing', async () => {
    const { handler, objects } = publishHandler();
    await expect(handler({ Records: [] }, context)).rejects.toThrow(/not a scheduled run/);
    await expect(handler({ source: 'manual' }, context)).rejects.toThrow(/not a scheduled run/);
    expect(objects.size).toBe(0);
  });
});
