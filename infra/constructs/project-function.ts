/**
 * The project's Lambda function: NodejsFunction bundled by the local esbuild as in infra/bundling.ts, Node 22 on
 * ARM64, JSON logs into its own log group, and a role that can only write to that log group until a `use*` call
 * binds a resource. Each `use*` call sets the environment variable the handler reads AND grants the matching
 * access, so a function can never be configured for a resource it may not use (or the reverse).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { bundleReviewCommand, handlerEntry, LAMBDA_BUNDLING } from '../bundling.ts';
import { IDEMPOTENCY_ACTIONS, type ReviewTableAccess } from '../table-access.ts';
import { wildcardResourceFinding } from './nag.ts';

export interface ProjectFunctionProps {
  /** The folder under functions/ holding handler.ts. */
  name: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  /**
   * The review the function serves: its id is set as LIVING_REVIEW_REVIEW_ID and its folder (reviews/<id>/: the
   * review file and the data it names) is bundled beside the handler, where `reviewById` reads it.
   */
  reviewId: string;
}

export class ProjectFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.name}: runs the function, writes its own logs`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: handlerEntry(props.name),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.DISABLED,
      environment: {
        // Stack traces point at the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `living-review-${props.name}`,
        [LAMBDA_ENV.reviewId]: props.reviewId,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLING.target,
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: LAMBDA_BUNDLING.sourcemap,
        banner: LAMBDA_BUNDLING.banner,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        externalModules: [...LAMBDA_BUNDLING.external],
        bundleAwsSDK: true,
        esbuildArgs: { '--legal-comments': LAMBDA_BUNDLING.legalComments },
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => [bundleReviewCommand(inputDir, outputDir, props.reviewId)],
        },
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node 22 is the runtime the project targets and tests on; a newer runtime is adopted deliberately.',
    });
  }

  /**
   * The review table's name as LIVING_REVIEW_TABLE, with exactly the access the function's use cases need (see
   * infra/table-access.ts): reads on the table and on the named indexes, each write action on the table only for
   * items whose partition key matches its patterns (dynamodb:LeadingKeys). One statement per kind of access, no
   * `*` resource: the index ARNs are named, not <table>/index/*.
   */
  useReviewTable(table: ITable, access: ReviewTableAccess): this {
    this.addEnvironment(LAMBDA_ENV.table, table.tableName);
    if (access.read.length > 0) {
      this.addToRolePolicy(new PolicyStatement({ actions: [...access.read], resources: [table.tableArn] }));
    }
    if (access.indexes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: access.indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    for (const [action, partitions] of Object.entries(access.write)) {
      if (!partitions || partitions.length === 0) continue;
      this.addToRolePolicy(
        new PolicyStatement({
          actions: [action],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] } },
        }),
      );
    }
    return this;
  }

  /** The idempotency table's name, with only the item calls Powertools idempotency makes on it. */
  useIdempotencyTable(table: ITable): this {
    this.addEnvironment(LAMBDA_ENV.idempotencyTable, table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({ actions: [...IDEMPOTENCY_ACTIONS], resources: [table.tableArn] }),
    );
    return this;
  }

  /** The site bucket's name, with list/get/put/delete on its objects (what the S3 SiteWriter calls). */
  useBucket(bucket: IBucket): this {
    this.addEnvironment(LAMBDA_ENV.siteBucket, bucket.bucketName);
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    Validations.of(this.role ?? this).acknowledge({
      id: wildcardResourceFinding(this, bucket.bucketArn, '/*'),
      reason:
        "Publishing replaces and prunes any file of the site, so object access is to this bucket's objects, not named keys.",
    });
    return this;
  }

  /** The alert topic's ARN, with permission to publish to it and to encrypt with its key (not topic admin). */
  useTopic(topic: ITopic): this {
    this.addEnvironment(LAMBDA_ENV.alertTopicArn, topic.topicArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    topic.masterKey?.grant(this, 'kms:GenerateDataKey', 'kms:Decrypt');
    return this;
  }

  /**
   * The parameter's NAME (never its value), with permission to read it at cold start. A SecureString under the
   * AWS-managed aws/ssm key needs no KMS grant: that key lets SSM decrypt for any principal allowed to read.
   */
  useSecureParameter(parameter: IStringParameter): this {
    this.addEnvironment(LAMBDA_ENV.ncbiKeyParameter, parameter.parameterName);
    // shared/config/secrets.ts makes exactly this one call.
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameter.parameterArn] }),
    );
    return this;
  }
}
