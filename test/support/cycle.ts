import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '#shared/alerts/digest.ts';
import type { Notifier, TeamAlert } from '#shared/alerts/notifier.ts';
import { runCycle } from '#shared/cycle.ts';
import { storeDemoEarlierPoll } from '#shared/demo.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import { createSourcePorts } from '#shared/sources/ports.ts';
import { loadCassette } from '#shared/sources/replay/cassette.ts';
import { type Fault, startReplayServer } from '#shared/sources/replay/server.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { type Clock, systemClock } from '#shared/store/ports.ts';
import {
  DEMO_CASSETTE,
  DEMO_EARLIER_POLL,
  groupPeerSupportReview,
  groupPeerSupportSeed,
} from '#test/support/group-peer-support.ts';

/** Retries and timeouts short enough for tests; the spacing rules themselves are tested with the sources. */
const FAST = {
  requestsPerSecond: 200,
  timeoutMs: 1_000,
  retries: 2,
  minBackoffMs: 5,
  maxBackoffMs: 20,
  maxRetryAfterMs: 50,
  requestBudgetMs: 30_000,
  maxResponseBytes: 16 * 1024 * 1024,
};

export interface DemoRun {
  digests: Digest[];
  site: string;
}

/** One demo cycle (`cycle --offline`) on the given store, with optional faults at chosen request numbers. */
export async function demoCycle(
  local: LocalStore,
  options: { faults?: Fault[]; site?: string; clock?: Clock; digests?: Digest[] } = {},
) {
  const replay = await startReplayServer(loadCassette(DEMO_CASSETTE), {
    faults: options.faults ?? [],
    stallMs: 1_500,
  });
  const digests = options.digests ?? [];
  const alerts: TeamAlert[] = [];
  const notifier: Notifier = { send: async (alert) => void alerts.push(alert) };
  const site = options.site ?? mkdtempSync(join(tmpdir(), 'living-review-demo-site-'));
  const clock = options.clock ?? systemClock;
  try {
    const config = sourceConfigFromEnv({
      PUBMED_BASE_URL: `${replay.baseUrl}/entrez/eutils`,
      CTGOV_BASE_URL: `${replay.baseUrl}/api/v2`,
    });
    await storeDemoEarlierPoll(local.store, clock, DEMO_EARLIER_POLL);
    const summary = await runCycle(
      {
        review: groupPeerSupportReview,
        store: local.store,
        clock,
        notifier,
        sources: createSourcePorts(config, groupPeerSupportReview.search, {
          pubmedPolicy: FAST,
          ctgovPolicy: FAST,
        }),
        site: localFolderWriter(site),
        siteLocation: site,
      },
      groupPeerSupportSeed(),
    );
    for (const poll of summary.polls) if (poll.ok && poll.summary.digest) digests.push(poll.summary.digest);
    return { summary, digests, alerts, site, requests: replay.requests };
  } finally {
    await replay.close();
  }
}
