/**
 * Everything that can be replaced by a redeploy: the functions, their schedules and triggers, the team's alert
 * topic, the alarms, the screening API and the workbench (with the team's user pool, which is retained). Each function gets exactly the access its use case needs through
 * ProjectFunction's use* calls.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import type { DeployConfig } from './config.ts';
import { AlertTopic } from './constructs/alert-topic.ts';
import { BaselineSeed } from './constructs/baseline-seed.ts';
import { ProjectFunction } from './constructs/project-function.ts';
import { ScheduledRun } from './constructs/scheduled-run.ts';
import { ScreeningApi } from './constructs/screening-api.ts';
import {
  includedDataFilter,
  newAnalysisVersionFilter,
  TableStreamTrigger,
} from './constructs/table-stream-trigger.ts';
import { useUploadsToSignForms } from './constructs/upload-bucket.ts';
import { UploadImport } from './constructs/upload-import.ts';
import { Workbench } from './constructs/workbench.ts';
import type { StatefulRefs } from './stateful-stack.ts';
import { TABLE_ACCESS } from './table-access.ts';

export interface StatelessStackProps extends StackProps {
  stateful: StatefulRefs;
  config: DeployConfig;
}

export class StatelessStack extends Stack {
  readonly alerts: AlertTopic;
  readonly functions: Record<string, ProjectFunction> = {};
  /** The upload bucket, whose forms the workbench signs (useUploadsToSignForms in upload-bucket.ts). */
  readonly uploadBucket: IBucket;
  readonly workbench: Workbench;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const stateful = {
      table: Table.fromTableAttributes(this, 'ReviewTable', {
        tableArn: props.stateful.tableArn,
        tableStreamArn: props.stateful.tableStreamArn,
      }),
      idempotencyTable: Table.fromTableArn(this, 'IdempotencyTable', props.stateful.idempotencyTableArn),
      siteBucket: Bucket.fromBucketAttributes(this, 'SiteBucket', {
        bucketArn: props.stateful.siteBucketArn,
        bucketName: props.stateful.siteBucketName,
      }),
    };
    const schedule = (expression: string) => ({ expression, timeZone: config.scheduleTimeZone });
    this.alerts = new AlertTopic(this, 'Alerts', { emails: config.alertEmails });
    const alerts = this.alerts.topic;
    // An operator's CLI run on the table (--table) alerts the team here: LIVING_REVIEW_ALERT_TOPIC_ARN.
    new CfnOutput(this, 'AlertTopicArn', { value: alerts.topicArn });

    const ncbiKey = StringParameter.fromSecureStringParameterAttributes(this, 'NcbiApiKey', {
      parameterName: config.ncbiKeyParameter,
    });
    const pollers = [
      { source: 'pubmed', id: 'PollPubmed', expression: config.pubmedSchedule },
      { source: 'ctgov', id: 'PollCtgov', expression: config.ctgovSchedule },
    ] as const;
    for (const poller of pollers) {
      const fn = new ProjectFunction(this, poller.id, {
        name: `poll-${poller.source}`,
        description: `living-review: polls ${poller.source} for new records and alerts the team`,
        timeout: Duration.minutes(10),
        reviewId: config.reviewId,
      })
        .useReviewTable(stateful.table, TABLE_ACCESS.poll)
        .useIdempotencyTable(stateful.idempotencyTable)
        .useTopic(alerts);
      if (poller.source === 'pubmed') {
        fn.useSecureParameter(ncbiKey);
        if (config.ncbiEmail) fn.addEnvironment('NCBI_EMAIL', config.ncbiEmail);
      }
      new ScheduledRun(this, `${poller.id}Schedule`, {
        fn,
        ...schedule(poller.expression),
        purpose: `${poller.source} poll`,
        alerts,
      });
      this.alerts.alarmOnErrors(fn, `the ${poller.source} poll`);
      this.functions[poller.id] = fn;
    }

    const reanalyse = new ProjectFunction(this, 'Reanalyse', {
      name: 'reanalyse',
      description: 'living-review: re-runs the analysis plan when included data changed',
      timeout: Duration.minutes(5),
      memorySize: 1024,
      reviewId: config.reviewId,
    })
      .useReviewTable(stateful.table, TABLE_ACCESS.reanalyse)
      .useIdempotencyTable(stateful.idempotencyTable)
      .useTopic(alerts);
    new TableStreamTrigger(this, 'IncludedDataChanges', {
      table: stateful.table,
      fn: reanalyse,
      alerts,
      purpose: 'reanalysis after included data changed',
      filter: includedDataFilter(),
    });
    new ScheduledRun(this, 'ReanalyseSchedule', {
      fn: reanalyse,
      ...schedule(config.reanalyseSchedule),
      purpose: 'nightly reanalysis',
      alerts,
    });
    this.alerts.alarmOnErrors(reanalyse, 'the reanalysis');
    this.functions.Reanalyse = reanalyse;

    const publish = new ProjectFunction(this, 'Publish', {
      name: 'publish',
      description: 'living-review: publishes the latest analysis to the site bucket (new version, nightly)',
      timeout: Duration.minutes(2),
      reviewId: config.reviewId,
    })
      .useReviewTable(stateful.table, TABLE_ACCESS.publish)
      .useIdempotencyTable(stateful.idempotencyTable)
      .useBucket(stateful.siteBucket)
      // The first publish runs the analysis, which may alert the team about a conclusion.
      .useTopic(alerts);
    publish.addEnvironment(LAMBDA_ENV.siteUrl, props.stateful.siteUrl);
    // The page follows a new analysis version at once; the nightly schedule below is the safety net.
    new TableStreamTrigger(this, 'NewAnalysisVersions', {
      table: stateful.table,
      fn: publish,
      alerts,
      purpose: 'publishing after a new analysis version',
      filter: newAnalysisVersionFilter(),
    });
    new ScheduledRun(this, 'PublishSchedule', {
      fn: publish,
      ...schedule(config.publishSchedule),
      purpose: 'publish',
      alerts,
    });
    this.alerts.alarmOnErrors(publish, 'publishing');
    this.functions.Publish = publish;

    // ---- The workbench and the team's sign-in (issue 11): infra/constructs/workbench.ts, team-sign-in.ts ----
    this.workbench = new Workbench(this, 'Workbench', {
      reviewId: config.reviewId,
      table: stateful.table,
      siteBucket: stateful.siteBucket,
      siteUrl: props.stateful.siteUrl,
      alerts,
    });
    this.functions.Workbench = this.workbench.fn;
    this.functions.WorkbenchAuthorizer = this.workbench.authorizerFn;
    this.alerts.alarmOnErrors(this.workbench.fn, 'the workbench');
    this.alerts.alarmOnErrors(this.workbench.authorizerFn, "the workbench's sign-in check");
    this.alerts.alarmOnServerErrors(this.workbench.api, 'the workbench');
    // Its sign-in: every other page needs a session cookie before API Gateway lets the request through.
    new CfnOutput(this, 'WorkbenchUrl', {
      value: this.workbench.signIn.signedOutUrl,
      description:
        'Open this to sign in to the workbench (it goes on to the workbench when you are signed in)',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.workbench.signIn.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.workbench.signIn.client.userPoolClientId });
    // ---- end of the workbench ----

    const screening = new ProjectFunction(this, 'ScreeningApiFunction', {
      name: 'screening-api',
      description: 'living-review: screening HTTP API (queue, status, decisions)',
      reviewId: config.reviewId,
    }).useReviewTable(stateful.table, TABLE_ACCESS.screening);
    // The same sign-in as the workbench: a team member's Cognito ID token (README, Deploy).
    const api = new ScreeningApi(this, 'ScreeningApi', {
      fn: screening,
      authorizer: this.workbench.signIn.apiAuthorizer('TeamIdToken'),
    });
    new CfnOutput(this, 'ScreeningApiUrl', { value: api.stage.url });
    this.alerts.alarmOnErrors(screening, 'the screening API');
    this.alerts.alarmOnServerErrors(api.api, 'the screening API');
    this.functions.ScreeningApi = screening;

    // Large uploads and the baseline. Uploads land in the stateful stack's upload bucket and are imported by a
    // function its events start (constructs/upload-import.ts); the baseline is stored after each deployment that
    // changes the seed function (constructs/baseline-seed.ts).
    this.uploadBucket = Bucket.fromBucketAttributes(this, 'UploadBucket', {
      bucketArn: props.stateful.uploadBucketArn,
      bucketName: props.stateful.uploadBucketName,
    });
    // The workbench signs the upload forms (its imports page): s3:PutObject on uploads/* for its role.
    useUploadsToSignForms(this.workbench.fn, this.uploadBucket);
    this.functions.ImportUpload = new UploadImport(this, 'UploadImport', {
      bucket: this.uploadBucket,
      table: stateful.table,
      alerts: this.alerts,
      reviewId: config.reviewId,
    }).fn;
    this.functions.Seed = new BaselineSeed(this, 'BaselineSeed', {
      table: stateful.table,
      siteBucket: stateful.siteBucket,
      siteUrl: props.stateful.siteUrl,
      alerts: this.alerts,
      reviewId: config.reviewId,
    }).fn;
  }
}
