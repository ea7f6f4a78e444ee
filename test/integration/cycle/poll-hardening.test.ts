import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TeamAlert } from '#shared/alerts/notifier.ts';
import { pollSource } from '#shared/cycle.ts';
import { OutOfTimeError, SourceError } from '#shared/errors.ts';
import type { RemainingTime } from '#shared/sources/http.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import {
  type Fault,
  portsFor,
  pubmedRecording,
  type ReplayServer,
  STALL_MS,
  startReplayServer,
} from '#test/support/replay-server.ts';
import { dumpTable, memoryStore } from '#test/support/store.ts';

// A first poll on this day reads from the review's last search date to today.
const today = new Date('2019-08-31T09:00:00.000Z');
const window = { from: review.search.lastSearchDate, until: '2019-08-31' };
const BATCH = 3;
// esearch, three efetch pages (3 + 3 + 1 records), esearch again to confirm the count.
const CLEAN_REQUESTS = 5;
const PMIDS = ['40000001', '40000002', '40000003', '40000004', '40000005', '40000006', '40000007'];

let local: LocalStore;
let servers: ReplayServer[];
let alerts: TeamAlert[];
/** What one clean poll of the window leaves: the table and the alerts sent. */
let reference: { table: string[]; alerts: TeamAlert[] };

beforeAll(async () => {
  local = await memoryStore();
  servers = [];
  alerts = [];
  const summary = await poll(await replay());
  expect(summary.fetched).toBe(PMIDS.length);
  reference = { table: await dumpTable(local), alerts };
  await local.close();
  await servers[0]?.close();
});

beforeEach(async () => {
  local = await memoryStore();
  servers = [];
  alerts = [];
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await local.close();
});

async function replay(faults: Fault[] = []) {
  const server = await startReplayServer(
    pubmedRecording(window, [{ count: 7, webEnv: 'NCID_window' }], BATCH),
    { faults, stallMs: STALL_MS },
  );
  servers.push(server);
  return server;
}

function poll(server: ReplayServer, remainingMs?: RemainingTime) {
  return pollSource('pubmed', {
    review,
    store: local.store,
    clock: { now: () => today },
    notifier: { send: async (alert) => void alerts.push(alert) },
    sources: portsFor(server, { batchSize: BATCH }),
    ...(remainingMs ? { remainingMs } : {}),
  });
}

async function storedPmids(): Promise<string[]> {
  const copies = await local.store.listCopies();
  return copies.map((copy) => copy.record.pmid ?? '').sort();
}

/**
 * The poll after a failed one completes the window: the store holds exactly what one clean poll leaves (every
 * record, the moved watermark) and the team got the same one digest.
 */
async function expectNextPollCompletes(server: ReplayServer) {
  const summary = await poll(server);
  expect(summary.fetched).toBe(PMIDS.length);
  expect(await storedPmids()).toEqual(PMIDS);
  expect(await local.store.getWatermark('pubmed')).toBe(window.until);
  expect(await dumpTable(local)).toEqual(reference.table);
  expect(alerts).toEqual(reference.alerts);
  expect(alerts).toHaveLength(1);
}

describe('a poll whose source redirects elsewhere', () => {
  it('sends nothing to the other origin, fails the window and keeps the watermark', async () => {
    // Where a followed 307 would carry the POST body (the API key and e-mail) and answer "Count 0".
    const collector = await startReplayServer([]);
    servers.push(collector);
    const server = await replay([
      { at: 1, kind: 'redirect', location: `${collector.baseUrl}/entrez/eutils/esearch.fcgi` },
    ]);
    const before = await dumpTable(local);
    await expect(poll(server)).rejects.toThrow(/answered HTTP 307: a redirect from .* to another origin/);
    expect(collector.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
    expect(await local.store.getWatermark('pubmed')).toBeUndefined();
    expect(await dumpTable(local)).toEqual(before);
    expect(alerts).toHaveLength(0);
    await expectNextPollCompletes(server);
  });
});

describe('a poll whose answer is too large', () => {
  it.each(['gzip-bomb', 'oversize'] as const)(
    'stops reading a %s answer, fails the window and keeps the watermark',
    async (kind) => {
      const server = await replay([{ at: 2, kind }]);
      const error = await poll(server).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as Error).message).toMatch(
        /efetch.fcgi: the answer is larger than the 4194304-byte cap \(counted after decompression\)/,
      );
      // Not retried: the same request would get the same answer.
      expect(server.requests).toHaveLength(2);
      expect(await local.store.getWatermark('pubmed')).toBeUndefined();
      expect(await storedPmids()).toEqual([]);
      await expectNextPollCompletes(server);
    },
  );
});

describe('a poll that runs out of time', () => {
  // Whatever request the deadline falls before (0: before the first; CLEAN_REQUESTS: after the search, before
  // storing), the poll stops cleanly and the next one finishes the window with nothing lost.
  it.each(Array.from({ length: CLEAN_REQUESTS + 1 }, (_, index) => index))(
    'after %i requests stops cleanly, and the next poll completes the window',
    async (allowed) => {
      const server = await replay();
      const remainingMs = () => (server.requests.length < allowed ? 60_000 : 0);
      const error = await poll(server, remainingMs).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OutOfTimeError);
      expect(server.requests).toHaveLength(allowed);
      expect(await local.store.getWatermark('pubmed')).toBeUndefined();
      expect(alerts).toHaveLength(0);
      await expectNextPollCompletes(server);
    },
  );

  it('cuts off a stalled request at the deadline rather than waiting for its timeout, then completes', async () => {
    // The client would wait 1 s (FAST_POLICY) for the stalled third answer and then retry; when the third request
    // is about to start, 300 ms of poll time are left.
    const server = await replay([{ at: 3, kind: 'stall' }]);
    let deadline = Number.POSITIVE_INFINITY;
    const remainingMs = () => {
      if (deadline === Number.POSITIVE_INFINITY && server.requests.length === 2)
        deadline = performance.now() + 300;
      return deadline - performance.now();
    };
    const error = await poll(server, remainingMs).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutOfTimeError);
    expect((error as Error).message).toMatch(
      /efetch.fcgi stopped before the run's time budget ran out: no complete answer in the \d+ ms that were left/,
    );
    expect(server.requests).toHaveLength(3);
    expect(await local.store.getWatermark('pubmed')).toBeUndefined();
    await expectNextPollCompletes(server);
  });

  it('does not wait for a Retry-After that would end past the deadline', async () => {
    // The client caps Retry-After at 2 s (FAST_POLICY); 1 s of poll time is left.
    const server = await replay([{ at: 2, kind: '429', retryAfter: '120' }]);
    const deadline = performance.now() + 1_000;
    const error = await poll(server, () => deadline - performance.now()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutOfTimeError);
    expect((error as Error).message).toMatch(
      /HTTP 429\) and the next could start only after a 2000 ms wait \(Retry-After\)/,
    );
    expect(server.requests).toHaveLength(2);
    await expectNextPollCompletes(server);
  });
});
