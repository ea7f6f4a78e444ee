/**
 * Wraps a use case as a scheduled Lambda: validate the Scheduler's payload, run the use case at most once per
 * schedule and scheduled time (Powertools idempotency in its own table), log the outcome as JSON, and let failures
 * propagate so the Scheduler's retries, the dead-letter queue and the error alarm see them.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { exitCodeFor, messageOf } from '#shared/errors.ts';
import { parseScheduledRun, SCHEDULED_RUN_KEY, type ScheduledRun } from './scheduled-event.ts';

/** Long enough to cover every Scheduler retry (maximum event age 6 h) with margin. */
const REMEMBER_RUNS_SECONDS = 24 * 60 * 60;

export interface ScheduledHandlerOptions<R> {
  logger: Logger;
  dynamo: DynamoDBClient;
  idempotencyTable: string;
  /** The use case; the context tells how long the invocation has left. */
  run: (run: ScheduledRun, context: Context) => Promise<R>;
}

export function scheduledHandler<R>(options: ScheduledHandlerOptions<R>) {
  const once = makeIdempotent((run: ScheduledRun, context: Context) => options.run(run, context), {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: options.idempotencyTable,
      awsSdkV3Client: options.dynamo,
    }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: SCHEDULED_RUN_KEY,
      expiresAfterSeconds: REMEMBER_RUNS_SECONDS,
      throwOnNoIdempotencyKey: true,
    }),
  });
  return async (event: unknown, context: Context): Promise<R> => {
    const run = parseScheduledRun(event);
    const { logger } = options;
    logger.appendKeys({ scheduleArn: run.scheduleArn, scheduledTime: run.scheduledTime });
    try {
      const result = await once(run, context);
      logger.info('scheduled run finished', { result });
      return result;
    } catch (error) {
      logger.error('scheduled run failed', {
        error: messageOf(error),
        kind: error instanceof Error ? error.name : typeof error,
        // 3 = an outside source failed (worth the retry); 2 = bad input or configuration (a person must fix it).
        exitCode: exitCodeFor(error),
      });
      throw error;
    } finally {
      logger.removeKeys(['scheduleArn', 'scheduledTime']);
    }
  };
}
