/**
 * Feeds the table's stream to the reanalysis function, filtered to the one item every change of included data
 * rewrites (the "included data changed" marker: screening includes, retractions, studies, outcome rows), so
 * ordinary imports and screening traffic never wake it. A failing batch is split to find the bad record, reported
 * per item, retried, and finally parked in a dead-letter queue whose depth alarms the team.
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

export class IncludedDataStream extends Construct {
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: { table: ITable; fn: IFunction; alerts: ITopic }) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'reanalysis after included data changed',
      alerts: props.alerts,
    });
    props.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(30),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.deadLetters.queue),
        filters: [includedDataFilter()],
      }),
    );
    Validations.of(props.fn.role ?? props.fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams has no resource-level permissions (AWS requires "*"); stream reads are scoped to this table\'s stream.',
    });
  }
}
