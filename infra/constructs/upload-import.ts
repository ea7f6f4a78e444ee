/**
 * The import of large uploads: the function (functions/import-upload) and what starts it, an EventBridge rule for
 * the upload bucket's "Object Created" events under uploads/. A delivery EventBridge cannot make is retried and
 * then parked in a dead-letter queue; an invocation that fails inside the function (not a refused file, which is a
 * stored result) is retried twice by Lambda and parked in the same queue. The queue's depth and the function's
 * errors alarm the team. Publishing follows a new analysis version through the table stream, so the function has
 * no access to the site; it may read objects under uploads/ and nothing else of the bucket.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { OBJECT_CREATED } from '#shared/uploads/object-created.ts';
import { UPLOAD_PREFIX } from '#shared/uploads/upload-key.ts';
import { TABLE_ACCESS } from '../table-access.ts';
import type { AlertTopic } from './alert-topic.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ProjectFunction } from './project-function.ts';
import { useUploadsToImport } from './upload-bucket.ts';

/** An upload is imported within this long of arriving, or parked for a person to look at. */
export const UPLOAD_MAX_EVENT_AGE = Duration.hours(6);

export interface UploadImportProps {
  bucket: IBucket;
  table: ITable;
  alerts: AlertTopic;
  reviewId: string;
}

export class UploadImport extends Construct {
  readonly fn: ProjectFunction;
  readonly rule: Rule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: UploadImportProps) {
    super(scope, id);
    const alerts = props.alerts.topic;
    // A large file takes memory to parse and time to ingest; a run that times out is retried and its ingest
    // batch continued where it stopped.
    this.fn = new ProjectFunction(this, 'Function', {
      name: 'import-upload',
      description: 'living-review: imports a large upload from the upload bucket (records or outcome data)',
      timeout: Duration.minutes(15),
      memorySize: 3008,
      reviewId: props.reviewId,
    })
      .useReviewTable(props.table, TABLE_ACCESS.importUpload)
      // New records are told to the team once; outcome data may change a conclusion.
      .useTopic(alerts);
    useUploadsToImport(this.fn, props.bucket);

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'the import of an upload',
      alerts,
    });
    this.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: UPLOAD_MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetters.queue),
    });
    this.rule = new Rule(this, 'ObjectCreated', {
      description: 'living-review: an upload arrived under uploads/ in the upload bucket',
      eventPattern: {
        source: [OBJECT_CREATED.source],
        detailType: [OBJECT_CREATED.detailType],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: Match.prefix(UPLOAD_PREFIX) },
        },
      },
      targets: [
        new LambdaFunction(this.fn, {
          retryAttempts: 3,
          maxEventAge: UPLOAD_MAX_EVENT_AGE,
          deadLetterQueue: this.deadLetters.queue,
        }),
      ],
    });
    props.alerts.alarmOnErrors(this.fn, 'the import of an upload');
  }
}
