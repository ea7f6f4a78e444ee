import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamAlert } from '#shared/alerts/notifier.ts';
import { OutOfTimeError } from '#shared/errors.ts';
import type { CycleRuntime } from '#shared/lambda/clients.ts';
import { pollHandler } from '#shared/lambda/poll.ts';
import type { SearchableSource } from '#shared/sources/search-source.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import {
  ctgovRecording,
  portsFor,
  pubmedRecording,
  type ReplayServer,
  startReplayServer,
} from '#test/support/replay-server.ts';
import { createIdempotencyTable, memoryStore } from '#test/support/store.ts';

const IDEMPOTENCY_TABLE = 'idempotency';
const SCHEDULE = 'arn:aws:scheduler:eu-west-2:123456789012:schedule/default/poll';
const today = new Date('2019-08-31T05:00:00.000Z');
const window = { from: review.search.lastSearchDate, until: '2019-08-31' };
const RESERVE_MS = 30_000;

/** Each source's recorded window: how many requests reading it takes and how many records it holds. */
const SOURCES = {
  // esearch, three efetch pages (3 + 3 + 1), esearch again.
  pubmed: {
    interactions: pubmedRecording(window, [{ count: 7, webEnv: 'NCID_lambda' }], 3),
    ports: { batchSize: 3 },
    requests: 5,
    records: 7,
  },
  // Two pages of five studies, then the empty last page.
  ctgov: { interactions: ctgovRecording(window, 5), ports: { pageSize: 5 }, requests: 3, records: 10 },
};

let local: LocalStore;
let server: ReplayServer | undefined;
let alerts: TeamAlert[];

beforeEach(async () => {
  local = await memoryStore();
  await createIdempotencyTable(local, IDEMPOTENCY_TABLE);
  alerts = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await local.close();
});

/** The deployed handler's wiring, on dynalite, the replay server and a notifier that keeps what it sends. */
async function handler(source: SearchableSource) {
  const { interactions, ports } = SOURCES[source];
  server = await startReplayServer(interactions);
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
    source,
    runtime,
    sources: portsFor(server, ports),
    logger: new Logger({ logLevel: 'SILENT' }),
    reserveMs: RESERVE_MS,
  });
}

/** A Lambda context whose remaining time is whatever `remainingMs` says when asked. */
function lambdaContext(remainingMs: () => number): Context {
  return { getRemainingTimeInMillis: remainingMs, functionName: 'poll' } as unknown as Context;
}

const scheduledRun = { scheduleArn: SCHEDULE, scheduledTime: '2019-08-31T05:00:00Z', executionId: 'exec-1' };
const requestsSoFar = () => server?.requests.length ?? 0;

describe.each(['pubmed', 'ctgov'] as const)('the %s poller on Lambda with little time left', (source) => {
  const { requests, records } = SOURCES[source];

  it.each(Array.from({ length: requests + 1 }, (_, index) => index))(
    'stops cleanly when the time runs out after %i requests, and its retry completes the window',
    async (allowed) => {
      const poll = await handler(source);
      // Enough time while fewer than `allowed` requests were made; then only the reserve is left.
      const shortOfTime = lambdaContext(() => (requestsSoFar() < allowed ? 600_000 : RESERVE_MS));
      const error = await poll(scheduledRun, shortOfTime).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OutOfTimeError);
      expect(requestsSoFar()).toBe(allowed);
      expect(await local.store.getWatermark(source)).toBeUndefined();
      expect(await local.store.listCopies()).toEqual([]);
      expect(alerts).toHaveLength(0);

      // Lambda retries the failed run (same scheduled time) with a fresh timeout.
      const report = await poll(
        { ...scheduledRun, executionId: 'exec-2' },
        lambdaContext(() => 600_000),
      );
      expect(report).toMatchObject({ source, window, fetched: records, alerted: true });
      expect(report.new + report.duplicates).toBe(records);
      expect(await local.store.getWatermark(source)).toBe(window.until);
      expect(await local.store.listCopies()).toHaveLength(records);
      expect(alerts).toHaveLength(1);
    },
  );

  it('keeps the reserve back from the search: with no more than the reserve left, nothing is sent', async () => {
    const poll = await handler(source);
    const error = await poll(
      scheduledRun,
      lambdaContext(() => RESERVE_MS),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutOfTimeError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${source}: .* stopped before the run's time budget ran out`),
    );
    expect(requestsSoFar()).toBe(0);
  });
});
