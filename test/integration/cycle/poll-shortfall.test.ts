import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamAlert } from '#shared/alerts/notifier.ts';
import { pollSource } from '#shared/cycle.ts';
import { type ReplayServer, startReplayServer } from '#shared/sources/replay/server.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { portsFor, pubmedRecording } from '#test/support/replay-server.ts';
import { memoryStore } from '#test/support/store.ts';

// A first poll on this day reads from the review's last search date to today.
const today = new Date('2019-08-31T09:00:00.000Z');
const window = { from: review.search.lastSearchDate, until: '2019-08-31' };
const BATCH = 3;

let local: LocalStore;
let server: ReplayServer;
let alerts: TeamAlert[];

beforeEach(async () => {
  local = await memoryStore();
  alerts = [];
  // PubMed keeps counting 7 records for the window but efetch only ever returns 6.
  server = await startReplayServer(
    pubmedRecording(window, [{ count: 7, webEnv: 'NCID_short', served: 6 }], BATCH),
  );
});
afterEach(async () => {
  await server.close();
  await local.close();
});

function poll() {
  return pollSource('pubmed', {
    review,
    store: local.store,
    clock: { now: () => today },
    notifier: { send: async (alert) => void alerts.push(alert) },
    sources: portsFor(server, { batchSize: BATCH }),
  });
}

describe('a poll that PubMed cannot fully answer', () => {
  it('stores what it got, reports the shortfall and tells the team once even when the window is polled twice', async () => {
    // Two polls of the same window at once (a retried schedule overlapping the first run, say).
    const [first] = await Promise.all([poll(), poll()]);
    expect(first?.fetched).toBe(6);
    expect(first?.shortfalls).toEqual([
      expect.stringMatching(/^PubMed counts 7 records for 2019-07-12\.\.2019-08-31/),
    ]);
    const shortfallAlerts = () => alerts.filter((a) => a.subject.includes('did not return every record'));
    expect(shortfallAlerts()).toHaveLength(1);
    expect(shortfallAlerts()[0]?.markdown).toMatch(/Search this window by hand/);
  });
});
