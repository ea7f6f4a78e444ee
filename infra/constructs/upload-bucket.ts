/**
 * Where the team's large files land before they are imported: a private bucket (all public access blocked, S3-managed
 * encryption, SSL only, no versioning) whose objects expire after 7 days, server access logs in the site's log
 * bucket under upload-bucket/, and its events sent to EventBridge, where a rule in the stateless stack passes
 * "Object Created" under uploads/ to the import function (constructs/upload-import.ts). No CORS: the browser posts
 * a plain HTML form straight to the bucket (a navigation, which CORS does not govern) and follows S3's redirect
 * back to the workbench.
 *
 * It lives in the stateful stack beside the log bucket it logs to, and is retained on tear-down like the other
 * buckets: a retained bucket empties itself within 7 days, whereas deleting a bucket that still held an upload
 * would fail the stack's deletion.
 *
 * Events go to EventBridge through the bucket's own NotificationConfiguration (set on the CloudFormation resource):
 * CDK's notification API would add a custom-resource Lambda with a wildcard policy to do the same.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { UPLOAD_PREFIX } from '#shared/uploads/upload-key.ts';
import { wildcardResourceFinding } from './nag.ts';
import type { ProjectFunction } from './project-function.ts';

/** How long an upload is kept: long enough to look at a refused file, short enough that uploads do not pile up. */
export const UPLOAD_EXPIRY = Duration.days(7);
/** The objects that are uploads (and the only ones a function may touch). */
export const UPLOAD_OBJECTS = `${UPLOAD_PREFIX}*`;

export class UploadBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: { logsBucket: IBucket }) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      serverAccessLogsBucket: props.logsBucket,
      serverAccessLogsPrefix: 'upload-bucket/',
      lifecycleRules: [
        {
          id: 'uploads-expire',
          expiration: UPLOAD_EXPIRY,
          // A multipart upload (not what the form makes, but possible for whoever may write) never lingers.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
  }
}

/**
 * The upload bucket's name for a function that imports uploads, with s3:GetObject on uploads/* only (the one call
 * shared/uploads/s3-reader.ts makes): no listing, no writing, nothing outside uploads/.
 */
export function useUploadsToImport(fn: ProjectFunction, bucket: IBucket): ProjectFunction {
  fn.addEnvironment(LAMBDA_ENV.uploadBucket, bucket.bucketName);
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(UPLOAD_OBJECTS)] }),
  );
  Validations.of(fn.role ?? fn).acknowledge({
    id: wildcardResourceFinding(fn, bucket.bucketArn, `/${UPLOAD_OBJECTS}`),
    reason:
      'Each upload has a fresh key under uploads/ (kind, day, uuid), so the import reads any object there, and only there.',
  });
  return fn;
}

/**
 * The upload bucket's name for the function that signs upload forms (the workbench), with s3:PutObject on
 * uploads/* only: a pre-signed POST is signed with the signer's credentials, so S3 accepts the browser's upload
 * only if the signer may put the object. The signed policy narrows each form to one key.
 */
export function useUploadsToSignForms(fn: ProjectFunction, bucket: IBucket): ProjectFunction {
  fn.addEnvironment(LAMBDA_ENV.uploadBucket, bucket.bucketName);
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(UPLOAD_OBJECTS)] }),
  );
  Validations.of(fn.role ?? fn).acknowledge({
    id: wildcardResourceFinding(fn, bucket.bucketArn, `/${UPLOAD_OBJECTS}`),
    reason:
      'Upload forms are signed for a fresh key under uploads/ each time; each form is narrowed to its one key by its signed policy.',
  });
  return fn;
}
