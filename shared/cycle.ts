/**
 * The living-review cycle, one use case per scheduled job: poll a source from its watermark, ingest and
 * de-duplicate, queue and alert; re-run the analysis; publish the page. The CLI and the Lambda handlers call these
 * same functions with different adapters. Each is safe to run twice: ingest and alerts are idempotent, the
 * watermark moves only after a poll succeeded, and the analysis keeps a new version only for new inputs.
 */
import type { Digest } from '#shared/alerts/digest.ts';
import type { Notifier } from '#shared/alerts/notifier.ts';
import { type AnalysisBody, type ReanalyseResult, reanalyse } from '#shared/analysis/reanalyse.ts';
import { OutOfTimeError, SourceError } from '#shared/errors.ts';
import { assemblePageModel } from '#shared/publishing/assemble.ts';
import { assertReconciled } from '#shared/publishing/reconcile.ts';
import { type PublishResult, publishSite, type SiteWriter } from '#shared/publishing/site-writer.ts';
import {
  completeAbandonedBatches,
  type IngestRun,
  ingest,
  type RunSession,
  sendAlertOnce,
} from '#shared/records/ingest.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { type ReviewSeed, type SeedSummary, seedReview } from '#shared/seed.ts';
import type { RemainingTime } from '#shared/sources/http.ts';
import { type SearchableSource, type SourcePorts, searchSource } from '#shared/sources/search-source.ts';
import { nextWindow, type SearchWindow } from '#shared/sources/window.ts';
import type { AnalysisVersion, Clock, Store } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';

export interface CyclePorts {
  review: ReviewConfig;
  store: Store;
  clock: Clock;
  notifier: Notifier;
  /** Who is working on an ingest batch (default: a process with the store to itself, as the CLI is). */
  session?: RunSession;
}

export interface PollSummary {
  source: SearchableSource;
  window: SearchWindow;
  fetched: number;
  /** PMIDs PubMed reported deleted in the window. */
  deleted: string[];
  /** Records the source counted but never returned; the team is told once per window. */
  shortfalls: string[];
  ingest: IngestRun;
  /** The digest sent to the team; undefined when nothing was new (or another run of the same poll sent it). */
  digest: Digest | undefined;
}

/** A source that counted more records than it returned must not go unnoticed: one alert per source and window. */
async function alertShortfalls(
  source: SearchableSource,
  window: SearchWindow,
  shortfalls: readonly string[],
  ports: CyclePorts,
) {
  if (shortfalls.length === 0) return;
  const now = ports.clock.now().toISOString();
  await sendAlertOnce(
    `shortfall#${source}#${window.from}#${window.until}`,
    {
      date: now.slice(0, 10),
      subject: `${ports.review.id}: ${source} did not return every record it counted`,
      markdown: `# ${source}: records counted but not returned\n\n${shortfalls.map((s) => `- ${s}`).join('\n')}\n\nSearch this window by hand so no trial is missed.\n`,
    },
    ports,
  );
}

export interface PollPorts extends CyclePorts {
  sources: SourcePorts;
  /**
   * The time the poll may still take, if it has a deadline (a Lambda's remaining time less what storing and
   * alerting need); none on the command line.
   */
  remainingMs?: RemainingTime;
}

/**
 * Polls one source for the window since its last success, stores what is new, alerts, then moves the watermark.
 * With a deadline, the search starts no request past it, and storing starts only while time is left: a poll that
 * runs out ends as an OutOfTimeError with the watermark where it was, so the next run reads the window again.
 */
export async function pollSource(source: SearchableSource, ports: PollPorts): Promise<PollSummary> {
  const { review, store, clock } = ports;
  const watermark = await store.getWatermark(source);
  const window = nextWindow({
    ...(watermark === undefined ? {} : { watermark }),
    firstSearchDate: review.search.lastSearchDate,
    overlapDays: review.search.overlapDays,
    now: clock.now(),
  });
  const found = await searchSource(
    source,
    window,
    ports.sources,
    ports.remainingMs ? { remainingMs: ports.remainingMs } : {},
  );
  // Storing, alerting and the watermark belong together (what ingest reports new is alerted only once, now),
  // so they start only inside the deadline, which leaves the time they need.
  const left = ports.remainingMs?.() ?? Number.POSITIVE_INFINITY;
  if (left <= 0) {
    throw new OutOfTimeError(
      source,
      `read ${found.records.length} records for ${window.from}..${window.until} but the poll's time ran out before storing them; the watermark stays and the next run reads the window again`,
    );
  }
  // The digest is part of the batch: stored before it is sent, so a run killed anywhere leaves the next run of
  // this window (the watermark has not moved) to complete the same batch.
  const result = await ingest(
    found.records,
    { store, clock, notifier: ports.notifier, ...(ports.session ? { session: ports.session } : {}) },
    {
      dualFraction: review.eligibility.dualFraction,
      label: `poll ${source}`,
      alert: { keywords: review.eligibility.keywords },
    },
  );
  await alertShortfalls(source, window, found.shortfalls, ports);
  // Only now, with every record stored, linked, flagged and the team told, is the window done. A batch still being
  // sent by another live run of this window is that run's to finish, and to move the watermark.
  if (result.complete) await store.setWatermark(source, window.until);
  const digest = result.digest;
  return {
    source,
    window,
    fetched: found.records.length,
    deleted: found.deleted,
    shortfalls: found.shortfalls,
    ingest: result,
    digest,
  };
}

/** Re-runs the review's analysis plan; a new version only when its inputs changed. */
export function reanalyseReview(ports: CyclePorts, reason: string): Promise<ReanalyseResult> {
  return reanalyse(ports.review, ports, reason);
}

export interface PublishSummary extends PublishResult {
  analysisVersion: number;
  location: string;
}

/**
 * Publishes the page of the latest analysis version (running the analysis first if there is none yet): only files
 * whose bytes changed are written, and the publish is logged.
 */
export async function publishPage(
  ports: CyclePorts & { site: SiteWriter; siteLocation: string; siteUrl?: string },
): Promise<PublishSummary> {
  const { review, store, clock } = ports;
  // The page shows the studies as they stand now, so the analysis must be of the same evidence: a new version is
  // made first if anything changed since the latest one (nothing is written otherwise).
  const evidence = await loadEvidence(review, store, clock);
  await reanalyse(review, ports, 'publish', evidence);
  const [versions, pubmed, ctgov] = await Promise.all([
    store.listAnalysisVersions(),
    store.getWatermark('pubmed'),
    store.getWatermark('ctgov'),
  ]);
  const { studies, rows, snapshot, units } = evidence;
  const ordered = (versions as AnalysisVersion<AnalysisBody>[]).sort((a, b) => a.version - b.version);
  const model = assemblePageModel({
    review,
    versions: ordered,
    studies: [...studies].sort((a, b) => a.id.localeCompare(b.id)),
    rows: [...rows].sort((a, b) => a.id.localeCompare(b.id)),
    copies: snapshot.copies,
    records: snapshot.records,
    units,
    lastSearched: { ...(pubmed ? { pubmed } : {}), ...(ctgov ? { ctgov } : {}) },
    lastChecked: clock.now().toISOString(),
    ...(ports.siteUrl ? { siteUrl: ports.siteUrl } : {}),
  });
  assertReconciled(model);
  const result = await publishSite(model, ports.site);
  const analysisVersion = ordered.at(-1)?.version ?? 0;
  await store.appendPublish({
    publishedAt: model.lastChecked,
    analysisVersion,
    location: ports.siteLocation,
    details: {
      written: result.written.length,
      unchanged: result.unchanged.length,
      removed: result.removed.length,
    },
  });
  return { ...result, analysisVersion, location: ports.siteLocation };
}

export type PollOutcome =
  | { ok: true; summary: PollSummary }
  | { ok: false; source: SearchableSource; error: string };

export interface CycleSummary {
  seed: SeedSummary;
  polls: PollOutcome[];
  analysis: ReanalyseResult;
  published: PublishSummary;
  /** True when a source could not be polled: its watermark stayed where it was. */
  sourceFailed: boolean;
}

/**
 * One whole cycle: make sure the review's baseline is stored, poll every source (a source that fails is reported
 * and keeps its watermark; the others go on), re-run the analysis, publish the page from whatever is stored.
 */
export async function runCycle(
  ports: CyclePorts & { sources: SourcePorts; site: SiteWriter; siteLocation: string; siteUrl?: string },
  seed: ReviewSeed,
  sources: readonly SearchableSource[] = ['pubmed', 'ctgov'],
): Promise<CycleSummary> {
  const seeded = await seedReview(ports.review, ports, seed);
  // The sources are independent (each has its own rate limit and watermark) and ingest is safe under
  // concurrency, so they are polled at the same time.
  const polls = await Promise.all(
    sources.map(async (source): Promise<PollOutcome> => {
      try {
        return { ok: true, summary: await pollSource(source, ports) };
      } catch (error) {
        // An unreachable or failing source is reported and skipped; anything else is a fault and stops the cycle.
        if (!(error instanceof SourceError)) throw error;
        return { ok: false, source, error: error.message };
      }
    }),
  );
  // Now that each poll has continued its own batch a killed run left, whatever a dead run left is completed.
  await completeAbandonedBatches(ports);
  const analysis = await reanalyseReview(ports, 'cycle');
  const published = await publishPage(ports);
  return { seed: seeded, polls, analysis, published, sourceFailed: polls.some((poll) => !poll.ok) };
}
