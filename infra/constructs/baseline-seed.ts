/**
 * A fresh deployment stores the review's baseline by itself: the seed function (functions/seed) runs after each
 * deployment that changes it (its code, or the review folder bundled beside it) through a CDK Trigger, after the
 * function, its role's policy and the alert topic exist. The Trigger invokes it and waits: a seed that fails fails
 * the deployment, which rolls back, instead of leaving a deployment whose page pools nothing. The seed is
 * idempotent, so running it on every such deployment adds nothing to a seeded table.
 *
 * CDK adds the Trigger's provider once per stack: a custom-resource function (Node's latest Lambda runtime) whose
 * role has AWSLambdaBasicExecutionRole and lambda:InvokeFunction on the seed function's versions (<fn>:*) only.
 * cdk-nag does not examine it (it is a raw CloudFormation resource, not an L1 role or function), so there is no
 * finding to acknowledge; test/infra states what its role may do.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { InvocationType, Trigger } from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { TABLE_ACCESS } from '../table-access.ts';
import type { AlertTopic } from './alert-topic.ts';
import { ProjectFunction } from './project-function.ts';

/** Storing the baseline and publishing the first page takes seconds; a cold start and a slow table, minutes. */
export const SEED_TIMEOUT = Duration.minutes(10);

export interface BaselineSeedProps {
  table: ITable;
  siteBucket: IBucket;
  siteUrl: string;
  alerts: AlertTopic;
  reviewId: string;
}

export class BaselineSeed extends Construct {
  readonly fn: ProjectFunction;
  readonly trigger: Trigger;

  constructor(scope: Construct, id: string, props: BaselineSeedProps) {
    super(scope, id);
    this.fn = new ProjectFunction(this, 'Function', {
      name: 'seed',
      description:
        "living-review: stores the review's baseline after a deployment, analyses and publishes it",
      timeout: SEED_TIMEOUT,
      memorySize: 1024,
      reviewId: props.reviewId,
    })
      .useReviewTable(props.table, TABLE_ACCESS.seed)
      // It publishes the first page itself: a new stream consumer may not be reading yet on a first deployment.
      .useBucket(props.siteBucket)
      // The analysis may alert the team about a conclusion, as every reanalysis may.
      .useTopic(props.alerts.topic);
    this.fn.addEnvironment(LAMBDA_ENV.siteUrl, props.siteUrl);
    props.alerts.alarmOnErrors(this.fn, 'storing the baseline after a deployment');

    this.trigger = new Trigger(this, 'AfterDeployment', {
      handler: this.fn,
      invocationType: InvocationType.REQUEST_RESPONSE,
      timeout: SEED_TIMEOUT,
      executeOnHandlerChange: true,
      // The function, its role with the role's policy (created beside the function), and the topic it may alert.
      executeAfter: [this.fn, ...(this.fn.role ? [this.fn.role] : []), props.alerts],
    });
  }
}
