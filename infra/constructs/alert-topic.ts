/**
 * The team's alert topic: encrypted with a customer-managed key (CloudWatch alarms cannot publish to a topic under
 * the AWS-managed SNS key), SSL only, with an e-mail subscription per address from context.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

const FIVE_MINUTE_SUM = { period: Duration.minutes(5), statistic: 'Sum' } as const;

export class AlertTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { emails: readonly string[] }) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'living-review: encrypts the team alert topic',
      enableKeyRotation: true,
      // The key protects nothing once its topic is gone; it is scheduled for deletion with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'living-review alerts',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }

  /** Tells the team when the function fails at all: these run a few times a day, so one error is news. */
  alarmOnErrors(fn: IFunction, purpose: string): Alarm {
    return this.alarmOnAny(fn, 'ErrorsAlarm', `${purpose} failed`, fn.metricErrors(FIVE_MINUTE_SUM));
  }

  /**
   * Tells the team when the HTTP API answers 5xx at all (metric `5xx` of AWS/ApiGateway by ApiId): a reviewer hit
   * an internal error, a failed integration or a throttled function. 4xx answers are the reviewers' own mistakes.
   */
  alarmOnServerErrors(api: IHttpApi, purpose: string): Alarm {
    return this.alarmOnAny(
      api,
      'ServerErrorsAlarm',
      `${purpose} answered with a server error (5xx)`,
      api.metricServerError(FIVE_MINUTE_SUM),
    );
  }

  /** An alarm to this topic when the metric's 5-minute sum reaches 1; no data (nothing happened) is fine. */
  private alarmOnAny(scope: IConstruct, id: string, description: string, metric: IMetric): Alarm {
    const alarm = new Alarm(scope, id, {
      alarmDescription: `living-review: ${description}`,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
