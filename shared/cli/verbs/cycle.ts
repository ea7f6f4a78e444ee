import { resolve } from 'node:path';
import { type CycleSummary, runCycle } from '#shared/cycle.ts';
import { storeDemoEarlierPoll } from '#shared/demo.ts';
import { EXIT } from '#shared/errors.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import { reviewSeed } from '#shared/review/seed-files.ts';
import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import { createSourcePorts } from '#shared/sources/ports.ts';
import { printingProgress } from '#shared/sources/progress.ts';
import { loadCassette } from '#shared/sources/replay/cassette.ts';
import { startReplayServer } from '#shared/sources/replay/server.ts';
import { systemClock } from '#shared/store/ports.ts';
import { DATA_HELP, dataOption, teamNotifier } from '../local-store.ts';
import { flag, optionalString } from '../options.ts';
import { REVIEW_HELP, reviewFrom, reviewOption, withReviewStore } from '../review-option.ts';
import { printJson, type Verb } from '../verb.ts';
import { DEFAULT_SITE_DIR } from './publish.ts';

function summaryText(summary: CycleSummary, site: string): string {
  const lines = summary.polls.map((poll) => {
    if (!poll.ok) return `${poll.source}: NOT POLLED: ${poll.error} (its watermark stays where it was)`;
    const { source, window, fetched, ingest: result, digest, shortfalls } = poll.summary;
    const missing = shortfalls
      .map((shortfall) => `\n${source}: WARNING: ${shortfall}; the team was alerted`)
      .join('');
    return `${source}: ${fetched} fetched for ${window.from}..${window.until}: ${result.new.length} new, ${result.duplicates.length} duplicates, ${result.linked.length} linked, ${result.registryChanges.length} registry changes, ${result.retractions.length} retractions; ${digest ? 'digest sent' : 'nothing to alert'}${missing}`;
  });
  const analysis = summary.analysis.created
    ? `analysis: version ${summary.analysis.version} (${summary.analysis.material.length} material changes)`
    : `analysis: unchanged (version ${summary.analysis.version})`;
  const skipped =
    summary.polls.length === 0
      ? ['sources: not polled (offline, and the review has no recorded responses)']
      : [];
  const page = `page: ${resolve(site, 'index.html')} (${summary.published.written.length} files written, ${summary.published.unchanged.length} unchanged)`;
  return `${[...lines, ...skipped, analysis, page].join('\n')}\n`;
}

export const cycleVerb: Verb = {
  name: 'cycle',
  summary: 'Run a whole living-review cycle: poll, de-duplicate, queue, alert, re-analyse, publish',
  help: `Usage: living-review cycle [--offline] [--review ID|FILE] [--data DIR] [--site DIR] [--json]

Polls PubMed and ClinicalTrials.gov with the review's search from each source's last successful poll (minus the
overlap), stores and de-duplicates what is new, queues it for screening and writes the team's digest, re-runs the
analysis when included data changed, and publishes the page. A source that cannot be reached is reported, keeps
its watermark, and makes the command exit 3; the page is still published from what is stored.

Options:
  --offline               answer from the review's recorded responses (its file's demo.cassette) through a local
                          replay server instead of the live services; the code path is otherwise the same. A review
                          without recordings is not polled offline: its baseline and data are still stored,
                          analysed and published
${REVIEW_HELP}
${DATA_HELP}
  --site DIR              where the page goes (default ${DEFAULT_SITE_DIR})
  --json                  one JSON object: per-source results, analysis version, files written

Environment: NCBI_EMAIL (contact address NCBI asks tools for), NCBI_API_KEY (optional: 10 requests/s instead of 3).
Digests are printed and appended to DIR/alerts/<date>.md.
`,
  options: {
    ...reviewOption,
    ...dataOption,
    site: { type: 'string' },
    offline: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const offline = flag(values, 'offline');
    const site = resolve(io.cwd, optionalString(values, 'site') ?? DEFAULT_SITE_DIR);
    const review = reviewFrom(values, io);
    const recordings = offline ? review.demo : null;
    const replay = recordings ? await startReplayServer(loadCassette(recordings.cassette)) : undefined;
    try {
      const env = replay
        ? {
            ...io.env,
            PUBMED_BASE_URL: `${replay.baseUrl}/entrez/eutils`,
            CTGOV_BASE_URL: `${replay.baseUrl}/api/v2`,
          }
        : io.env;
      const config = sourceConfigFromEnv(env);
      if (!offline && config.ncbiEmail === undefined) {
        io.stderr(
          'note: NCBI_EMAIL is not set; NCBI asks every tool for a contact address, so set it for regular runs\n',
        );
      }
      const sources = createSourcePorts(config, review.search, {
        onProgress: printingProgress(io.stderr),
      });
      const summary = await withReviewStore(values, io, async ({ store }) => {
        if (recordings?.earlierPoll) await storeDemoEarlierPoll(store, systemClock, recordings.earlierPoll);
        return runCycle(
          {
            review,
            store,
            clock: systemClock,
            notifier: teamNotifier(values, io),
            sources,
            site: localFolderWriter(site),
            siteLocation: site,
          },
          reviewSeed(review),
          offline && !recordings ? [] : undefined,
        );
      });
      if (flag(values, 'json')) printJson(io, summary);
      else io.stdout(summaryText(summary, site));
      return summary.sourceFailed ? EXIT.sourceUnavailable : EXIT.ok;
    } finally {
      await replay?.close();
    }
  },
};
