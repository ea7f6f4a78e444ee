/**
 * Feeds the review table's stream to a function, filtered to the few items that mean something to it, so ordinary
 * imports and screening traffic never wake it. A failing batch is split to find the bad record, reported per item,
 * retried, and finally parked in a dead-letter queue whose depth alarms the team. Two triggers use it:
 *   - the reanalysis, on the "included data changed" marker (which every change of included data rewrites:
 *     screening includes, retractions, studies, outcome rows);
 *   - publishing, on a new analysis version (put only if absent, so a version appears exactly once, as INSERT).
 * DynamoDB advises at most two readers per stream shard, so these two are the limit: a third consumer should share
 * one of these mappings or fan the stream out (EventBridge Pipes, Kinesis) instead.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { itemKeys } from '#shared/store/dynamo.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** The stream records that mean "included data changed": the marker item written or rewritten. */
export function includedDataFilter(): Record<string, unknown> {
  return FilterCriteria.filter({
    eventName: FilterRule.or('INSERT', 'MODIFY'),
    dynamodb: { Keys: { pk: { S: FilterRule.isEqual(itemKeys.marker().pk) } } },
  });
}

/** The stream records that mean "a new analysis version exists": an item under the versions' partition inserted. */
export function newAnalysisVersionFilter(): Record<string, unknown> {
  return FilterCriteria.filter({
    eventName: FilterRule.isEqual('INSERT'),
    dynamodb: { Keys: { pk: { S: FilterRule.isEqual(itemKeys.analysis(1).pk) } } },
  });
}

export interface TableStreamTriggerProps {
  table: ITable;
  fn: IFunction;
  alerts: ITopic;
  /** What the trigger starts, for the dead-letter alarm ("reanalysis after included data changed"). */
  purpose: string;
  /** One FilterCriteria.filter(...) pattern. */
  filter: Record<string, unknown>;
}

export class TableStreamTrigger extends Construct {
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: TableStreamTriggerProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: props.purpose,
      alerts: props.alerts,
    });
    props.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        // A burst of changes (an extraction import, a reanalysis racing the nightly run) becomes one batch.
        maxBatchingWindow: Duration.seconds(30),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.deadLetters.queue),
        filters: [props.filter],
      }),
    );
    Validations.of(props.fn.role ?? props.fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'DynamoEventSource grants dynamodb:ListStreams, which has no resource-level permissions (AWS requires "*"); stream reads are scoped to this table\'s stream.',
    });
  }
}
