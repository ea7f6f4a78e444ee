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
import type { SearchableSource } from '#shared/sources/search-source.ts';
import type { SearchWindow } from '#shared/sources/window.ts';
import { cycleRuntimeFromEnv } from './clients.ts';
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
  return scheduledHandler({
    logger,
    dynamo: runtime.dynamo,
    idempotencyTable: runtime.idempotencyTable,
    run: async () => {
      const summary = await pollSource(source, { ...runtime.ports, sources });
      // A batch another poll left half done more than a lease ago is completed with what it had stored.
      await completeAbandonedBatches(runtime.ports);
      return pollReport(summary);
    },
  });
}
