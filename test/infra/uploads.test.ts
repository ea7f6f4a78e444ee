/**
 * The infrastructure of large uploads and of the baseline seed: the upload bucket (private, encrypted, SSL only,
 * unversioned, expiring, logged, retained, its events to EventBridge), the rule that passes its "Object Created"
 * events under uploads/ to the import function (retries, dead-letter queue), the Trigger that runs the seed after
 * a deployment, and the two functions' grants: exactly the table writes their use cases make, the one S3 call
 * each makes, and the resources bound to them.
 */
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { itemKeys } from '#shared/store/dynamo.ts';
import { KIND_INDEX } from '#shared/store/table.ts';
import { parseObjectCreated } from '#shared/uploads/object-created.ts';
import { uploadKey } from '#shared/uploads/upload-key.ts';
import { matchesFilter } from '#test/support/event-filter.ts';
import { actionsOf, allows, resourcesOf, type Statement } from '#test/support/iam.ts';
import { deployContext, type SynthesizedReview, synthesizeReview } from '#test/support/infra.ts';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
};

let review: SynthesizedReview;

beforeAll(() => {
  review = synthesizeReview(deployContext());
}, 120_000);

const statelessId = (construct: IConstruct) =>
  review.stateless.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const statefulId = (construct: IConstruct) =>
  review.stateful.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const stateless = (type: string) => review.statelessTemplate.findResources(type) as Record<string, Resource>;
const stateful = (type: string) => review.statefulTemplate.findResources(type) as Record<string, Resource>;
const exportOf = (name: string) => ({ 'Fn::ImportValue': `${review.stateful.stackName}-${name}` });

function fn(name: 'ImportUpload' | 'Seed') {
  const found = review.stateless.functions[name];
  if (!found) throw new Error(`no function ${name}`);
  return found;
}

function environmentOf(name: 'ImportUpload' | 'Seed'): Record<string, unknown> {
  const found = stateless('AWS::Lambda::Function')[statelessId(fn(name))];
  return (
    (found?.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}
  );
}

function statementsOf(name: 'ImportUpload' | 'Seed'): Statement[] {
  const roleId = statelessId(fn(name).role as IConstruct);
  return Object.values(stateless('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('the upload bucket', () => {
  const bucket = () => {
    const found = stateful('AWS::S3::Bucket')[statefulId(review.stateful.uploads.bucket)];
    if (!found) throw new Error('no upload bucket');
    return found;
  };

  it('is private, encrypted, unversioned, logged beside the site, expiring after 7 days and retained', () => {
    expect(bucket()).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: statefulId(review.stateful.site.logsBucket) },
          LogFilePrefix: 'upload-bucket/',
        },
        LifecycleConfiguration: {
          Rules: [expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 7 })],
        },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      },
    });
    // Versioning off; no CORS (a plain form post is a navigation); no custom resource wiring notifications.
    expect(bucket().Properties.VersioningConfiguration).toBeUndefined();
    expect(bucket().Properties.CorsConfiguration).toBeUndefined();
    expect(
      Object.values(review.statefulTemplate.toJSON().Resources as Record<string, Resource>),
    ).not.toContainEqual(expect.objectContaining({ Type: 'Custom::S3BucketNotifications' }));
  });

  it('refuses every request without TLS and allows nobody through its policy', () => {
    const policies = Object.values(stateful('AWS::S3::BucketPolicy')).filter(
      (policy) =>
        JSON.stringify(policy.Properties.Bucket) ===
        JSON.stringify({ Ref: statefulId(review.stateful.uploads.bucket) }),
    );
    const statements = policies.flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });

  it('is exported by name for the stateless stack, which imports it', () => {
    expect(review.stateful.refs.uploadBucketArn).toBeDefined();
    const env = environmentOf('ImportUpload');
    expect(env[LAMBDA_ENV.uploadBucket]).toEqual(exportOf('UploadBucketName'));
  });
});

describe('the import of uploads', () => {
  const rule = () => {
    const rules = Object.values(stateless('AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    return rules[0] as Resource;
  };
  const functionArn = () => ({ 'Fn::GetAtt': [statelessId(fn('ImportUpload')), 'Arn'] });

  /** An upload's event as EventBridge sends it, for the bucket `bucket`. */
  const event = (key: string, bucket = 'uploads-bucket') => ({
    version: '0',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    time: '2026-12-01T09:59:00Z',
    region: 'eu-west-2',
    detail: { bucket: { name: bucket }, object: { key, size: 10, etag: 'abc' }, reason: 'PostObject' },
  });

  it('passes the upload bucket\'s "Object Created" events under uploads/ (and only those) to the import function', () => {
    const pattern = rule().Properties.EventPattern as {
      detail: { bucket: { name: unknown[] } };
    };
    expect(pattern.detail.bucket.name).toEqual([exportOf('UploadBucketName')]);
    const concrete = { ...pattern, detail: { ...pattern.detail, bucket: { name: ['uploads-bucket'] } } };
    const upload = event(
      uploadKey({ kind: 'ris', day: '2026-12-01', id: '6f1c2d3e-4a5b-4c6d-8e7f-001122334455' }),
    );
    expect(matchesFilter(concrete, upload)).toBe(true);
    // What the rule lets through is what the function reads.
    expect(parseObjectCreated(upload).key).toBe(upload.detail.object.key);
    expect(matchesFilter(concrete, event('logs/uploads/x'))).toBe(false);
    expect(matchesFilter(concrete, event('uploads/ris/x', 'another-bucket'))).toBe(false);
    expect(matchesFilter(concrete, { ...upload, 'detail-type': 'Object Deleted' })).toBe(false);
    expect(rule().Properties.Targets).toEqual([expect.objectContaining({ Arn: functionArn() })]);
  });

  it('retries a delivery, then parks it in a dead-letter queue that alarms, as it does a failed run', () => {
    const [target] = rule().Properties.Targets as {
      RetryPolicy: unknown;
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [string, string] } };
    }[];
    expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 });
    const queueId = target?.DeadLetterConfig.Arn['Fn::GetAtt'][0] ?? '';
    expect(stateless('AWS::SQS::Queue')[queueId]).toBeDefined();
    const config = Object.values(stateless('AWS::Lambda::EventInvokeConfig')).find(
      (candidate) =>
        JSON.stringify(candidate.Properties.FunctionName) ===
        JSON.stringify({ Ref: statelessId(fn('ImportUpload')) }),
    );
    expect(config?.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: target?.DeadLetterConfig.Arn } },
    });
    // Only EventBridge, for this rule, may invoke it.
    const permissions = Object.values(stateless('AWS::Lambda::Permission')).filter(
      (permission) => JSON.stringify(permission.Properties.FunctionName) === JSON.stringify(functionArn()),
    );
    expect(permissions.map((permission) => permission.Properties)).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [Object.keys(stateless('AWS::Events::Rule'))[0], 'Arn'] },
      }),
    ]);
  });
});

describe('the seed after each deployment', () => {
  const trigger = () => {
    const triggers = Object.values(stateless('Custom::Trigger'));
    expect(triggers).toHaveLength(1);
    return triggers[0] as Resource;
  };

  it('invokes the seed function and waits for it, whenever the function (code or bundled review) changes', () => {
    const versions = Object.entries(stateless('AWS::Lambda::Version')).filter(
      ([, version]) =>
        JSON.stringify(version.Properties.FunctionName) === JSON.stringify({ Ref: statelessId(fn('Seed')) }),
    );
    expect(versions).toHaveLength(1);
    expect(trigger().Properties).toMatchObject({
      HandlerArn: { Ref: versions[0]?.[0] },
      InvocationType: 'RequestResponse',
      Timeout: String(10 * 60 * 1000),
      ExecuteOnHandlerChange: true,
    });
  });

  it('runs after the function, its role policy and the alert topic exist', () => {
    const roleId = statelessId(fn('Seed').role as IConstruct);
    const policyId = Object.entries(stateless('AWS::IAM::Policy')).find(
      ([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
    )?.[0];
    expect(trigger().DependsOn).toEqual(
      expect.arrayContaining([
        statelessId(fn('Seed')),
        roleId,
        policyId,
        statelessId(review.stateless.alerts.topic),
      ]),
    );
  });

  it("lets the Trigger's provider invoke the seed function's versions and nothing else", () => {
    const providers = Object.values(stateless('AWS::IAM::Role')).filter((role) =>
      JSON.stringify(role.Properties).includes('lambda:InvokeFunction'),
    );
    expect(providers).toHaveLength(1);
    const policies = (providers[0]?.Properties.Policies ?? []) as {
      PolicyDocument: { Statement: Statement[] };
    }[];
    const inline = policies.flatMap((policy) => policy.PolicyDocument.Statement);
    expect(inline.map((statement) => [actionsOf(statement), resourcesOf(statement)])).toEqual([
      [
        ['lambda:InvokeFunction'],
        [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [statelessId(fn('Seed')), 'Arn'] }, ':*']] }],
      ],
    ]);
  });
});

describe('least privilege for the import and the seed', () => {
  const tableArn = () => exportOf('TableArn');
  const onTable = (resource: unknown) => JSON.stringify(resource) === JSON.stringify(tableArn());
  const partitions = {
    record: itemKeys.copy('pmid-1').pk,
    claim: itemKeys.claim({ kind: 'doi', value: '10.1/x' }).pk,
    trial: itemKeys.trialLink({ nctId: 'NCT01', member: 'record:pmid-1' }).pk,
    pmidReference: itemKeys.pmidReference('1', 'NCT01').pk,
    watermark: itemKeys.watermark('pubmed').pk,
    alert: itemKeys.alert('new#pmid-1').pk,
    marker: itemKeys.marker().pk,
    analysis: itemKeys.analysis(7).pk,
    body: itemKeys.bodyChunk('cd'.repeat(32), 3).pk,
    batch: itemKeys.batchHead('b1').pk,
    published: itemKeys.publish({ publishedAt: 'x', analysisVersion: 7, location: 's3://site/', details: {} })
      .pk,
    extractionFile: itemKeys.document('extraction-file', 'data.csv').pk,
    extractionPart: itemKeys.document('extraction-part', 'data.csv#1#s1').pk,
    studyEvent: itemKeys.document('study-event', 'e1').pk,
    upload: itemKeys.document('upload', 'uploads/ris/2026-12-01/x').pk,
    legacyStudy: itemKeys.document('study', 's1').pk,
  };
  const writes = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ];
  const writable = (name: 'ImportUpload' | 'Seed') =>
    writes.flatMap((action) =>
      Object.entries(partitions)
        .filter(([, pk]) => allows(statementsOf(name), action, onTable, pk))
        .map(([label]) => `${action.slice('dynamodb:'.length)} ${label}`),
    );
  // Written out by hand from the use cases (infra/table-access.ts explains the path), not derived from that file.
  const ingest = [
    ...['record', 'claim', 'trial', 'pmidReference', 'alert', 'marker', 'batch'].map((p) => `PutItem ${p}`),
    ...['record', 'claim', 'alert', 'batch'].map((p) => `UpdateItem ${p}`),
    'DeleteItem alert',
    'BatchWriteItem batch',
  ];
  const reanalysis = ['PutItem analysis', 'PutItem body'];
  const data = ['PutItem extractionFile', 'PutItem extractionPart'];

  it('lets the import write what ingest, outcome data, the reanalysis and its result write: no watermark, no publish', () => {
    expect(writable('ImportUpload').sort()).toEqual(
      [...ingest, ...reanalysis, ...data, 'PutItem upload'].sort(),
    );
  });

  it('lets the seed write what ingest, decisions, study events, outcome data, the reanalysis and publishing write', () => {
    expect(writable('Seed').sort()).toEqual(
      [...ingest, ...reanalysis, ...data, 'PutItem studyEvent', 'PutItem published'].sort(),
    );
  });

  it.each(['ImportUpload', 'Seed'] as const)('lets %s read by key and query the kind index only', (name) => {
    const dynamo = statementsOf(name).filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('dynamodb:')),
    );
    const reads = dynamo.filter((statement) => !statement.Condition);
    expect(reads.map((statement) => [actionsOf(statement), resourcesOf(statement)])).toEqual([
      [['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], [tableArn()]],
      [['dynamodb:Query'], [{ 'Fn::Join': ['', [tableArn(), `/index/${KIND_INDEX}`]] }]],
    ]);
  });

  it('lets the import read objects under uploads/ of the upload bucket and nothing else of S3', () => {
    const s3 = statementsOf('ImportUpload').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );
    expect(s3.map((statement) => [actionsOf(statement), resourcesOf(statement)])).toEqual([
      [['s3:GetObject'], [{ 'Fn::Join': ['', [exportOf('UploadBucketArn'), '/uploads/*']] }]],
    ]);
  });

  it('binds each only the resources it uses (neither has the idempotency table)', () => {
    const bound = (name: 'ImportUpload' | 'Seed') =>
      Object.keys(environmentOf(name))
        .filter((variable) => variable.startsWith('LIVING_REVIEW_'))
        .sort();
    const { table, alertTopicArn, reviewId, uploadBucket, siteBucket, siteUrl } = LAMBDA_ENV;
    expect(bound('ImportUpload')).toEqual([alertTopicArn, reviewId, table, uploadBucket].sort());
    expect(bound('Seed')).toEqual([alertTopicArn, reviewId, siteBucket, siteUrl, table].sort());
  });
});
