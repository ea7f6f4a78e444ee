/**
 * The scheduled poll of one source as a Lambda: the cycle's `pollSource` with DynamoDB, SNS and the real source
 * clients, run at most once per scheduled time. Its result is a summary of counts (it is kept by the idempotency
 * store, so it stays small).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { type PollSummary, pollSource } from '#shared/cycle.ts';
import { completeAbandonedBatches } from '#shared/records/ingest.ts';
import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import { createSourcePorts } from '#shared/sources/ports.ts';
import type { SearchableSource, SourcePorts } from '#shared/sources/search-source.ts';
import type { SearchWindow } from '#shared/sources/window.ts';
import { type CycleRuntime, cycleRuntimeFromEnv } from './clients.ts';
import { scheduledHandler } from './scheduled.ts';

export interface PollReport {
  source: SearchableSource;
  window: SearchWindow;
  fetched: number;
  deleted: number;
  new: number;
  duplicates: number;
  updated: number;
  registryChanges: number;
  retractions: number;
  alerted: boolean;
}

export function pollReport(summary: PollSummary): PollReport {
  const { ingest } = summary;
  return {
    source: summary.source,
    window: summary.window,
    fetched: summary.fetched,
    deleted: summary.deleted.length,
    new: ingest.new.length,
    duplicates: ingest.duplicates.length,
    updated: ingest.updated.length,
    registryChanges: ingest.registryChanges.length,
    retractions: ingest.retractions.length,
    alerted: summary.digest !== undefined,
  };
}

/**
 * The part of the function's timeout kept back from the search for storing the records, alerting and moving the
 * watermark (a window of a few thousand records takes well under a minute), so the run ends as a reported
 * OutOfTimeError rather than being killed half-way.
 */
export const POLL_RESERVE_MS = 120_000;

/**
 * The poll handler on a runtime and source ports built once per cold start. Each invocation's deadline is its own
 * remaining time less `reserveMs`; a poll that runs out fails cleanly (the watermark stays), and Lambda's retry or
 * the next schedule reads the window again.
 */
export function pollHandler(options: {
  source: SearchableSource;
  runtime: CycleRuntime;
  sources: SourcePorts;
  logger: Logger;
  reserveMs?: number;
}): (event: unknown, context: Context) => Promise<PollReport> {
  const { source, runtime, sources, logger, reserveMs = POLL_RESERVE_MS } = options;
  return scheduledHandler({
    logger,
    dynamo: runtime.dynamo,
    idempotencyTable: runtime.idempotencyTable,
    run: async (_run, context) => {
      const summary = await pollSource(source, {
        ...runtime.ports,
        sources,
        remainingMs: () => context.getRemainingTimeInMillis() - reserveMs,
      });
      // A batch another poll left half done more than a lease ago is completed with what it had stored.
      await completeAbandonedBatches(runtime.ports);
      return pollReport(summary);
    },
  });
}

/**
 * Builds the poll handler from the environment. The NCBI API key, when there is one, comes from the caller (read
 * from SSM at cold start) and is checked like NCBI_API_KEY would be; it never sits in the environment.
 */
export function pollHandlerFromEnv(
  source: SearchableSource,
  env: Record<string, string | undefined>,
  logger: Logger,
  ncbiApiKey?: string,
): (event: unknown, context: Context) => Promise<PollReport> {
  const runtime = cycleRuntimeFromEnv(env);
  const sourceConfig = sourceConfigFromEnv({ ...env, NCBI_API_KEY: ncbiApiKey });
  const sources = createSourcePorts(sourceConfig, runtime.ports.review.search);
  return pollHandler({ source, runtime, sources, logger });
}
