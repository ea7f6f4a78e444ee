/**
 * Re-runs the review's analysis. Two triggers: the table's stream (filtered in the infrastructure to the "included
 * data changed" marker) and a nightly schedule. The use case is idempotent by input hash, so a stream batch and the
 * nightly run racing is harmless. A failed stream batch is reported as a batch item failure from its first record,
 * so Lambda retries the batch and finally parks it in the dead-letter queue.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import type { ReanalyseResult } from '#shared/analysis/reanalyse.ts';
import { reanalyseReview } from '#shared/cycle.ts';
import { cycleRuntimeFromEnv } from '#shared/lambda/clients.ts';
import { scheduledHandler } from '#shared/lambda/scheduled.ts';
import { streamOrScheduled } from '#shared/lambda/stream-trigger.ts';

export interface ReanalyseReport {
  version: number;
  created: boolean;
  changes: number;
  material: number;
  alerted: boolean;
}

export function reanalyseReport(result: ReanalyseResult): ReanalyseReport {
  return {
    version: result.version,
    created: result.created,
    changes: result.changes.length,
    material: result.material.length,
    alerted: result.alerted,
  };
}

export interface ReanalyseDeps {
  logger: Logger;
  reanalyse: (reason: string) => Promise<ReanalyseReport>;
  /** The nightly run, already wrapped to run once per scheduled time. */
  scheduled: (event: unknown, context: Context) => Promise<ReanalyseReport>;
}

export function createReanalyseHandler(deps: ReanalyseDeps) {
  return streamOrScheduled({
    logger: deps.logger,
    label: 'reanalysis after a change',
    onChange: () => deps.reanalyse('included data changed'),
    scheduled: deps.scheduled,
  });
}

const logger = new Logger();
let deployed: ReturnType<typeof createReanalyseHandler> | undefined;

export async function handler(
  event: unknown,
  context: Context,
): Promise<DynamoDBBatchResponse | ReanalyseReport> {
  if (!deployed) {
    const runtime = cycleRuntimeFromEnv(process.env);
    const reanalyse = async (reason: string) => reanalyseReport(await reanalyseReview(runtime.ports, reason));
    deployed = createReanalyseHandler({
      logger,
      reanalyse,
      scheduled: scheduledHandler({
        logger,
        dynamo: runtime.dynamo,
        idempotencyTable: runtime.idempotencyTable,
        run: () => reanalyse('nightly schedule'),
      }),
    });
  }
  return deployed(event, context);
}
