import { Logger } from '@aws-lambda-powertools/logger';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamAlert } from '#shared/alerts/notifier.ts';
import { OutOfTimeError } from '#shared/errors.ts';
import type { CycleRuntime } from '#shared/lambda/clients.ts';
import { pollHandler } from '#shared/lambda/poll.ts';
import { groupPeerSupportReview as review } from '#shared/review/group-peer-support/index.ts';
import type { LocalStore } from '#shared/store/local.ts';
import {
  portsFor,
  pubmedRecording,
  type ReplayServer,
  startReplayServer,
} from '#test/support/replay-server.ts';
import { memoryStore } from '#test/support/store.ts';

const IDEMPOTENCY_TABLE = 'idempotency';
const SCHEDULE = 'arn:aws:scheduler:eu-west-2:123456789012:schedule/default/poll-pubmed';
const today = new Date('2019-08-31T05:00:00.000Z');
const window = { from: review.search.lastSearchDate, until: '2019-08-31' };
const BATCH = 3;
// esearch, three efetch pages, esearch again: the window's five requests.
const WINDOW_REQUESTS = 5;
const RESERVE_MS = 30_000;

let local: LocalStore;
let server: ReplayServer;
let alerts: TeamAlert[];

beforeEach(async () => {
  local = await memoryStore();
  await local.client.send(
    new CreateTableCommand({
      TableName: IDEMPOTENCY_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  server = await startReplayServer(pubmedRecording(window, [{ count: 7, webEnv: 'NCID_lambda' }], BATCH));
  alerts = [];
});
afterEach(async () => {
  await server.close();
  await local.close();
});

/** The deployed handler's wiring, on dynalite, the replay server and a notifier that keeps what it sends. */
function handler() {
  const runtime: CycleRuntime = {
    ports: {
      review,
      store: local.store,
      clock: { now: () => today },
      notifier: { send: async (alert) => void alerts.push(alert) },
    },
    dynamo: local.client,
    region: 'eu-west-2',
    idempotencyTable: IDEMPOTENCY_TABLE,
  };
  return pollHandler({
    source: 'pubmed',
    runtime,
    sources: portsFor(server, { batchSize: BATCH }),
    logger: new Logger({ logLevel: 'SILENT' }),
    reserveMs: RESERVE_MS,
  });
}

/** A Lambda context whose remaining time is whatever `remainingMs` says when asked. */
function lambdaContext(remainingMs: () => number): Context {
  return { getRemainingTimeInMillis: remainingMs, functionName: 'poll-pubmed' } as unknown as Context;
}

const scheduledRun = { scheduleArn: SCHEDULE, scheduledTime: '2019-08-31T05:00:00Z', executionId: 'exec-1' };

describe('the PubMed poller on Lambda with little time left', () => {
  it.each(Array.from({ length: WINDOW_REQUESTS + 1 }, (_, index) => index))(
    'stops cleanly when the time runs out after %i requests, and its retry completes the window',
    async (allowed) => {
      const poll = handler();
      // Enough time while fewer than `allowed` requests were made; then only the reserve is left.
      const shortOfTime = lambdaContext(() => (server.requests.length < allowed ? 600_000 : RESERVE_MS));
      const error = await poll(scheduledRun, shortOfTime).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OutOfTimeError);
      expect(server.requests).toHaveLength(allowed);
      expect(await local.store.getWatermark('pubmed')).toBeUndefined();
      expect(alerts).toHaveLength(0);

      // Lambda retries the failed run (same scheduled time) with a fresh timeout.
      const report = await poll(
        { ...scheduledRun, executionId: 'exec-2' },
        lambdaContext(() => 600_000),
      );
      expect(report).toMatchObject({ source: 'pubmed', window, fetched: 7, alerted: true });
      expect(report.new + report.duplicates).toBe(7);
      expect(await local.store.getWatermark('pubmed')).toBe(window.until);
      expect((await local.store.listCopies()).map((copy) => copy.record.pmid).sort()).toEqual([
        '40000001',
        '40000002',
        '40000003',
        '40000004',
        '40000005',
        '40000006',
        '40000007',
      ]);
      expect(alerts).toHaveLength(1);
    },
  );

  it('keeps the reserve back from the search: a poll with no more than the reserve left sends nothing', async () => {
    const error = await handler()(
      scheduledRun,
      lambdaContext(() => RESERVE_MS),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutOfTimeError);
    expect((error as Error).message).toMatch(
      /^pubmed: POST \/entrez\/eutils\/esearch.fcgi stopped before the run's time budget ran out/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
