/**
 * A function woken by the review table's stream (filtered in the infrastructure to the items that matter to it)
 * as well as by its schedule. A stream batch only says "something changed": the use case runs once for the whole
 * batch, whatever its records, and must be idempotent (a retried batch, or a batch racing the scheduled run, does
 * the same work again harmlessly). A failure is reported as a batch item failure from the batch's first record,
 * so Lambda retries the batch and finally parks it in the mapping's dead-letter queue. Anything that is not a
 * stream batch goes to the scheduled run, which validates it.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { messageOf } from '#shared/errors.ts';

const StreamBatch = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:dynamodb'),
        dynamodb: z.object({ SequenceNumber: z.string() }),
      }),
    )
    .min(1),
});

export interface StreamTriggerOptions<S, R> {
  logger: Logger;
  /** What a stream batch starts, for the logs ("reanalysis after a change"). */
  label: string;
  /** The use case, once per stream batch. */
  onChange: () => Promise<S>;
  /** The scheduled run, already wrapped to run once per scheduled time. */
  scheduled: (event: unknown, context: Context) => Promise<R>;
}

export function streamOrScheduled<S, R>(options: StreamTriggerOptions<S, R>) {
  return async (event: unknown, context: Context): Promise<DynamoDBBatchResponse | R> => {
    const batch = StreamBatch.safeParse(event);
    if (!batch.success) return options.scheduled(event, context);
    const records = batch.data.Records;
    try {
      const report = await options.onChange();
      options.logger.info(`${options.label} finished`, { report, records: records.length });
      return { batchItemFailures: [] };
    } catch (error) {
      options.logger.error(`${options.label} failed`, { error: messageOf(error), records: records.length });
      const [first] = records;
      return { batchItemFailures: first ? [{ itemIdentifier: first.dynamodb.SequenceNumber }] : [] };
    }
  };
}
