import { type CfnElement, CfnResource, type Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { SCHEDULER_CONTEXT } from '#shared/lambda/scheduled-event.ts';
import { itemKeys } from '#shared/store/dynamo.ts';
import { KIND_INDEX, tableDefinition } from '#shared/store/table.ts';
import { matchesFilter } from '#test/support/event-filter.ts';
import { actionsOf, allows, resourcesOf, type Statement } from '#test/support/iam.ts';
import { deployContext, type SynthesizedReview, synthesizeReview } from '#test/support/infra.ts';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

let review: SynthesizedReview;
const context = deployContext();

beforeAll(() => {
  review = synthesizeReview(context);
}, 120_000);

const logicalId = (construct: IConstruct) =>
  review.stateless.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const statefulId = (construct: IConstruct) =>
  review.stateful.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;

function resources(template: SynthesizedReview['statelessTemplate'], type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

function functionId(name: keyof SynthesizedReview['stateless']['functions'] & string): string {
  const fn = review.stateless.functions[name];
  if (!fn) throw new Error(`no function ${name}`);
  return logicalId(fn);
}

/** Every statement of the policies attached to a function's role. */
function statementsOf(name: string): Statement[] {
  const fn = review.stateless.functions[name];
  if (!fn?.role) throw new Error(`no role for ${name}`);
  const roleId = logicalId(fn.role);
  return Object.values(resources(review.statelessTemplate, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function environmentOf(name: string): Record<string, unknown> {
  const fn = resources(review.statelessTemplate, 'AWS::Lambda::Function')[functionId(name)];
  return (fn?.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {};
}

describe('the stateful stack', () => {
  it('creates the table with exactly the key schema and indexes the store adapter uses locally', () => {
    const definition = tableDefinition('any');
    const [table] = Object.values(resources(review.statefulTemplate, 'AWS::DynamoDB::Table')).filter(
      (candidate) => candidate.Properties.StreamSpecification,
    );
    expect(table?.Properties.KeySchema).toEqual(definition.KeySchema);
    expect(table?.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(definition.AttributeDefinitions ?? []),
    );
    expect(table?.Properties.GlobalSecondaryIndexes).toEqual(definition.GlobalSecondaryIndexes);
  });

  it('names the table in an output, for the CLI of an operator (--table)', () => {
    review.statefulTemplate.hasOutput('TableName', {
      Value: { Ref: statefulId(review.stateful.table) },
    });
  });

  it('keeps the table on demand, streamed with both images, recoverable, encrypted and retained', () => {
    const table = resources(review.statefulTemplate, 'AWS::DynamoDB::Table')[
      statefulId(review.stateful.table)
    ];
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it('keeps the site bucket private, versioned, SSL-only, logged and retained', () => {
    const bucketId = statefulId(review.stateful.site.bucket);
    const bucket = resources(review.statefulTemplate, 'AWS::S3::Bucket')[bucketId];
    expect(bucket).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: statefulId(review.stateful.site.logsBucket) } },
      },
    });
    review.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only CloudFront (through this distribution) read the site bucket: no public principal', () => {
    const bucketId = statefulId(review.stateful.site.bucket);
    const policies = Object.values(resources(review.statefulTemplate, 'AWS::S3::BucketPolicy')).filter(
      (policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    const allows = policies
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => statement.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect(statement.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      expect(JSON.stringify(statement.Condition)).toContain(statefulId(review.stateful.site.distribution));
    }
  });

  it('serves the site over HTTPS through origin access control with security headers', () => {
    review.statefulTemplate.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    review.statefulTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: Match.anyValue(),
        }),
      }),
    });
    review.statefulTemplate.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'none'"),
          }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000 }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
  });
});

describe('the schedules', () => {
  const expected = [
    ['PollPubmed', 'pubmedSchedule'],
    ['PollCtgov', 'ctgovSchedule'],
    ['Reanalyse', 'reanalyseSchedule'],
    ['Publish', 'publishSchedule'],
  ] as const;

  it.each(expected)('runs %s on the expression from context %s, in the configured time zone', (name, key) => {
    review.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: context[key],
      ScheduleExpressionTimezone: context.scheduleTimeZone,
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId(name), 'Arn'] } }),
    });
  });

  it('retries every schedule, bounds its event age and parks failures in a dead-letter queue', () => {
    const schedules = Object.values(resources(review.statelessTemplate, 'AWS::Scheduler::Schedule'));
    const queues = resources(review.statelessTemplate, 'AWS::SQS::Queue');
    expect(schedules).toHaveLength(expected.length);
    for (const schedule of schedules) {
      const target = schedule.Properties.Target as {
        RetryPolicy: unknown;
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [string, string] } };
      };
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 });
      expect(queues[target.DeadLetterConfig.Arn['Fn::GetAtt'][0]]).toBeDefined();
    }
  });

  it('retries a run that fails inside the function and records it in the same dead-letter queue', () => {
    const configs = Object.values(resources(review.statelessTemplate, 'AWS::Lambda::EventInvokeConfig'));
    for (const schedule of Object.values(resources(review.statelessTemplate, 'AWS::Scheduler::Schedule'))) {
      const target = schedule.Properties.Target as {
        Arn: { 'Fn::GetAtt': [string, string] };
        DeadLetterConfig: { Arn: unknown };
      };
      const config = configs.find(
        (candidate) =>
          JSON.stringify(candidate.Properties.FunctionName) ===
          JSON.stringify({ Ref: target.Arn['Fn::GetAtt'][0] }),
      );
      expect(config?.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: target.DeadLetterConfig.Arn } },
      });
    }
  });

  it('hands each scheduled function the schedule ARN and scheduled time its idempotency key is made of', () => {
    for (const schedule of Object.values(resources(review.statelessTemplate, 'AWS::Scheduler::Schedule'))) {
      const input = JSON.parse(String((schedule.Properties.Target as { Input: string }).Input));
      expect(input).toEqual(SCHEDULER_CONTEXT);
    }
  });

  it('invokes through roles that only schedules of this account may assume, and that may invoke only their function', () => {
    const roles = resources(review.statelessTemplate, 'AWS::IAM::Role');
    for (const schedule of Object.values(resources(review.statelessTemplate, 'AWS::Scheduler::Schedule'))) {
      const target = schedule.Properties.Target as {
        RoleArn: { 'Fn::GetAtt': [string, string] };
        Arn: unknown;
      };
      const roleId = target.RoleArn['Fn::GetAtt'][0];
      expect(roles[roleId]?.Properties.AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          {
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      });
      const invoke = Object.values(resources(review.statelessTemplate, 'AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
      expect(
        invoke
          .flatMap(resourcesOf)
          .every((resource) => JSON.stringify(resource).includes(JSON.stringify(target.Arn))),
      ).toBe(true);
    }
  });

  it('gives each schedule its own dead-letter queue', () => {
    const targets = Object.values(resources(review.statelessTemplate, 'AWS::Scheduler::Schedule')).map(
      (schedule) =>
        JSON.stringify((schedule.Properties.Target as { DeadLetterConfig: unknown }).DeadLetterConfig),
    );
    expect(new Set(targets).size).toBe(targets.length);
  });
});

describe('the table stream triggers', () => {
  type Mapping = { Properties: Record<string, unknown> };
  const mappings = () =>
    Object.values(resources(review.statelessTemplate, 'AWS::Lambda::EventSourceMapping')) as Mapping[];
  const mappingOf = (name: string) => {
    const found = mappings().filter(
      (mapping) =>
        JSON.stringify(mapping.Properties.FunctionName) === JSON.stringify({ Ref: functionId(name) }),
    );
    expect(found).toHaveLength(1);
    return found[0] as Mapping;
  };
  const patternsOf = (mapping: Mapping) =>
    (
      (mapping.Properties.FilterCriteria ?? { Filters: [] }) as { Filters: { Pattern: string }[] }
    ).Filters.map((filter) => JSON.parse(filter.Pattern));

  /** A stream record as DynamoDB sends it to Lambda (keys only; the images do not matter to the filters). */
  function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', key: { pk: string; sk: string }) {
    return {
      eventID: '1',
      eventName,
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-2',
      dynamodb: {
        Keys: { pk: { S: key.pk }, sk: { S: key.sk } },
        SequenceNumber: '100',
        SizeBytes: 120,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
  }
  const analysisVersion = itemKeys.analysis(12);
  const samples = {
    'analysis version INSERT': streamRecord('INSERT', analysisVersion),
    'analysis version MODIFY': streamRecord('MODIFY', analysisVersion),
    'analysis version REMOVE': streamRecord('REMOVE', analysisVersion),
    'marker INSERT': streamRecord('INSERT', itemKeys.marker()),
    'marker MODIFY': streamRecord('MODIFY', itemKeys.marker()),
    'publish log INSERT': streamRecord(
      'INSERT',
      itemKeys.publish({
        publishedAt: '2026-12-01T03:00:00Z',
        analysisVersion: 12,
        location: 's3://site/',
        details: { written: 1, unchanged: 0, removed: 0 },
      }),
    ),
    'record copy INSERT': streamRecord('INSERT', itemKeys.copy('pmid-1')),
    'decision INSERT': streamRecord(
      'INSERT',
      itemKeys.decision({ recordId: 'pmid-1', stage: 'title-abstract', reviewer: 'ana', revision: 1 }),
    ),
    'alert claim INSERT': streamRecord('INSERT', itemKeys.alert('analysis#abc')),
    'study document MODIFY': streamRecord('MODIFY', itemKeys.document('study', 's1')),
    // A large version's body chunks are written before the version: publishing must wake for the version only.
    'body chunk INSERT': streamRecord('INSERT', itemKeys.bodyChunk('ab'.repeat(32), 0)),
  };
  const matched = (name: string) =>
    Object.entries(samples)
      .filter(([, record]) => patternsOf(mappingOf(name)).some((pattern) => matchesFilter(pattern, record)))
      .map(([label]) => label);

  it("has exactly two consumers, the reanalysis and publishing, on the review table's stream", () => {
    expect(mappings()).toHaveLength(2);
    for (const name of ['Reanalyse', 'Publish']) {
      expect(mappingOf(name).Properties.EventSourceArn).toEqual({
        'Fn::ImportValue': `${review.stateful.stackName}-TableStreamArn`,
      });
    }
  });

  it.each(['Reanalyse', 'Publish'])(
    'starts %s from new changes, reports batch item failures, retries and parks failures in its own queue',
    (name) => {
      const queues = resources(review.statelessTemplate, 'AWS::SQS::Queue');
      const mapping = mappingOf(name);
      expect(mapping.Properties).toMatchObject({
        StartingPosition: 'LATEST',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
      });
      const destination = (mapping.Properties.DestinationConfig as { OnFailure: { Destination: unknown } })
        .OnFailure.Destination as { 'Fn::GetAtt': [string, string] };
      expect(queues[destination['Fn::GetAtt'][0]]).toBeDefined();
      const other = mappingOf(name === 'Reanalyse' ? 'Publish' : 'Reanalyse');
      expect(other.Properties.DestinationConfig).not.toEqual(mapping.Properties.DestinationConfig);
    },
  );

  it('wakes the reanalysis only for the included-data marker, written or rewritten', () => {
    expect(patternsOf(mappingOf('Reanalyse'))).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { pk: { S: [itemKeys.marker().pk] } } } },
    ]);
    expect(matched('Reanalyse')).toEqual(['marker INSERT', 'marker MODIFY']);
  });

  it('wakes publishing only for a new analysis version being inserted', () => {
    expect(patternsOf(mappingOf('Publish'))).toEqual([
      { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [analysisVersion.pk] } } } },
    ]);
    expect(matched('Publish')).toEqual(['analysis version INSERT']);
  });
});

describe('least privilege', () => {
  const exportName = (suffix: string) => `${review.stateful.stackName}-${suffix}`;
  const tableExports = () => [
    exportName('TableArn'),
    exportName('TableStreamArn'),
    exportName('IdempotencyTableArn'),
  ];

  it('scopes every DynamoDB action to the review or idempotency table (ListStreams alone needs "*")', () => {
    for (const name of Object.keys(review.stateless.functions)) {
      for (const statement of statementsOf(name)) {
        const actions = actionsOf(statement);
        if (!actions.some((action) => action.startsWith('dynamodb:'))) continue;
        if (actions.includes('dynamodb:ListStreams')) {
          expect(actions).toEqual(['dynamodb:ListStreams']);
          continue;
        }
        for (const resource of resourcesOf(statement)) {
          expect(resource).not.toBe('*');
          expect(tableExports().some((name) => JSON.stringify(resource).includes(`"${name}"`))).toBe(true);
        }
      }
    }
  });

  const tableArn = () => ({ 'Fn::ImportValue': exportName('TableArn') });
  const onTable = (resource: unknown) =>
    resource === '*' || JSON.stringify(resource) === JSON.stringify(tableArn());
  /** The DynamoDB actions a function's statements grant on exactly the review table's ARN ("*" is tested below). */
  const tableActions = (name: string) =>
    [
      ...new Set(
        statementsOf(name)
          .filter((statement) =>
            resourcesOf(statement).some(
              (resource) => JSON.stringify(resource) === JSON.stringify(tableArn()),
            ),
          )
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('dynamodb:')),
      ),
    ].sort();
  /** The indexes a function may query, by name ("*" when the grant covers every index). */
  const queriedIndexes = (name: string) =>
    statementsOf(name)
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')))
      .flatMap(resourcesOf)
      .map((resource) => JSON.stringify(resource))
      .filter((text) => text.includes(`"${exportName('TableArn')}"`) && text.includes('/index/'))
      .map((text) => /\/index\/([^"]*)"/.exec(text)?.[1])
      .sort();

  // Written out by hand from each handler's use cases (infra/table-access.ts explains the path), not derived from
  // that file: a grant that widens (grantReadWriteData adds Scan, BatchWriteItem, ConditionCheckItem,
  // DescribeTable...) or narrows below what the code calls fails here.
  it.each([
    [
      'PollPubmed',
      ['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
      [KIND_INDEX],
    ],
    [
      'PollCtgov',
      ['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
      [KIND_INDEX],
    ],
    ['Reanalyse', ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'], [KIND_INDEX]],
    ['Publish', ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'], [KIND_INDEX]],
    ['ScreeningApi', ['BatchGetItem', 'GetItem', 'PutItem', 'Query'], [KIND_INDEX]],
    [
      'Workbench',
      ['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
      [KIND_INDEX],
    ],
    ['WorkbenchAuthorizer', [], []],
  ])(
    'grants %s exactly the review-table actions %j and queries on the indexes %j',
    (name, actions, indexes) => {
      expect(tableActions(name)).toEqual(actions.map((action) => `dynamodb:${action}`));
      expect(queriedIndexes(name)).toEqual(indexes);
      for (const statement of statementsOf(name)) {
        if (!resourcesOf(statement).some((resource) => JSON.stringify(resource).includes('/index/')))
          continue;
        expect(actionsOf(statement)).toEqual(['dynamodb:Query']);
      }
    },
  );

  it('lets no function scan or check conditions on any table, and only ingest (pollers, workbench, import, seed) batch-write journal entries', () => {
    const forbidden = ['Scan', 'BatchWriteItem', 'ConditionCheckItem', 'DescribeTable', 'PartiQLSelect'];
    for (const name of Object.keys(review.stateless.functions)) {
      for (const action of forbidden) {
        expect(
          allows(statementsOf(name), `dynamodb:${action}`, () => true, 'REC#any'),
          `${name} may ${action}`,
        ).toBe(false);
      }
      const batchWrites = allows(statementsOf(name), 'dynamodb:BatchWriteItem', () => true, 'BATCH#b1');
      expect(batchWrites, `${name} may batch-write a journal`).toBe(
        name.startsWith('Poll') || name === 'Workbench' || name === 'ImportUpload' || name === 'Seed',
      );
    }
  });

  const record = itemKeys.copy('pmid-1').pk;
  const claim = itemKeys.claim({ kind: 'doi', value: '10.1/x' }).pk;
  const analysis = itemKeys.analysis(7).pk;
  const published = itemKeys.publish({
    publishedAt: '2026-12-01T03:00:00Z',
    analysisVersion: 7,
    location: 's3://site/',
    details: { written: 1, unchanged: 0, removed: 0 },
  }).pk;
  const alert = itemKeys.alert('new#pmid-1').pk;
  const watermark = itemKeys.watermark('pubmed').pk;
  const marker = itemKeys.marker().pk;
  const trialLink = itemKeys.trialLink({ nctId: 'NCT01', member: 'record:pmid-1' }).pk;
  const pmidReference = itemKeys.pmidReference('1', 'NCT01').pk;
  const document = itemKeys.document('study', 's1').pk;
  const bodyChunk = itemKeys.bodyChunk('cd'.repeat(32), 3).pk;
  const batch = itemKeys.batchHead('b1').pk;
  const everyPartition = [
    batch,
    record,
    claim,
    analysis,
    published,
    alert,
    watermark,
    marker,
    trialLink,
    pmidReference,
    document,
    bodyChunk,
  ];
  const writes = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ] as const;
  /** Every (action, partition key) a function may write on the review table, as "Action pk". */
  const writable = (name: string) =>
    writes.flatMap((action) =>
      everyPartition
        .filter((pk) => allows(statementsOf(name), action, onTable, pk))
        .map((pk) => `${action.slice('dynamodb:'.length)} ${pk}`),
    );

  // A changed conclusion's alert is claimed and stored in a batch head before it is sent (sendAlertOnce).
  const reanalysisWrites = [
    `PutItem ${analysis}`,
    `PutItem ${bodyChunk}`,
    `PutItem ${alert}`,
    `PutItem ${batch}`,
    `UpdateItem ${alert}`,
    `UpdateItem ${batch}`,
    `DeleteItem ${alert}`,
  ];

  it('lets the publisher write only analysis versions (and their body chunks), its alerts and its publish log', () => {
    expect(writable('Publish').sort()).toEqual([...reanalysisWrites, `PutItem ${published}`].sort());
  });

  it('lets the reanalysis write only analysis versions (and their body chunks) and its alerts', () => {
    expect(writable('Reanalyse').sort()).toEqual([...reanalysisWrites].sort());
  });

  it('lets the screening API only put decisions (under REC#<id>) and the included-data marker', () => {
    expect(writable('ScreeningApi').sort()).toEqual([`PutItem ${marker}`, `PutItem ${record}`].sort());
  });

  it("lets the workbench write what ingest, decisions, its documents, the reanalysis and publishing write, never a watermark or another document's kind", () => {
    const workbenchDocuments = [
      itemKeys.document('study-event', 'e1').pk,
      itemKeys.document('extraction-part', 'f#h#s1').pk,
      itemKeys.document('extraction-file', 'f').pk,
    ];
    const written = writes.flatMap((action) =>
      [...everyPartition, ...workbenchDocuments]
        .filter((pk) => allows(statementsOf('Workbench'), action, onTable, pk))
        .map((pk) => `${action.slice('dynamodb:'.length)} ${pk}`),
    );
    expect(written.sort()).toEqual(
      [
        ...[
          record,
          claim,
          trialLink,
          pmidReference,
          alert,
          marker,
          batch,
          analysis,
          published,
          bodyChunk,
        ].map((pk) => `PutItem ${pk}`),
        ...workbenchDocuments.map((pk) => `PutItem ${pk}`),
        ...[record, claim, alert, batch].map((pk) => `UpdateItem ${pk}`),
        `DeleteItem ${alert}`,
        `BatchWriteItem ${batch}`,
      ].sort(),
    );
    expect(written).not.toContain(`PutItem ${watermark}`);
    expect(written).not.toContain(`PutItem ${document}`);
    expect(writable('WorkbenchAuthorizer')).toEqual([]);
  });

  it.each(['PollPubmed', 'PollCtgov'])(
    'lets %s write what ingest and alerts write, never analyses or the publish log',
    (name) => {
      expect(writable(name).sort()).toEqual(
        [
          ...[record, claim, trialLink, pmidReference, watermark, alert, marker, batch].map(
            (pk) => `PutItem ${pk}`,
          ),
          ...[record, claim, alert, batch].map((pk) => `UpdateItem ${pk}`),
          `DeleteItem ${alert}`,
          `BatchWriteItem ${batch}`,
        ].sort(),
      );
    },
  );

  it('gives the scheduled functions only the item calls Powertools idempotency makes, and the API none', () => {
    const idempotencyActions = (name: string) =>
      statementsOf(name)
        .filter((statement) =>
          resourcesOf(statement).some((resource) =>
            JSON.stringify(resource).includes(`"${exportName('IdempotencyTableArn')}"`),
          ),
        )
        .flatMap(actionsOf)
        .sort();
    for (const name of ['PollPubmed', 'PollCtgov', 'Reanalyse', 'Publish']) {
      expect(idempotencyActions(name)).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
    }
    for (const name of ['ScreeningApi', 'Workbench', 'WorkbenchAuthorizer']) {
      expect(idempotencyActions(name)).toEqual([]);
    }
  });

  it('scopes every S3 action: the site for the publisher, the workbench and the seed, uploads/ objects for the import (read) and the workbench (its signed forms), nothing else', () => {
    const site = exportName('SiteBucketArn');
    const uploads = exportName('UploadBucketArn');
    const publishing = ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject'].map(
      (action) => `${action} ${site}`,
    );
    const expected: Record<string, string[]> = {
      Publish: publishing,
      Seed: publishing,
      Workbench: [...publishing, `s3:PutObject ${uploads}/uploads/*`],
      ImportUpload: [`s3:GetObject ${uploads}/uploads/*`],
    };
    /** Each S3 action with the bucket export its resource names, and `/uploads/*` when it is that prefix. */
    const granted = (name: string) =>
      statementsOf(name)
        .filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')))
        .flatMap((statement) =>
          resourcesOf(statement).flatMap((resource) => {
            const text = JSON.stringify(resource);
            const bucket = [site, uploads].find((candidate) => text.includes(`"${candidate}"`)) ?? text;
            const where = text.endsWith(',"/uploads/*"]]}') ? `${bucket}/uploads/*` : bucket;
            return actionsOf(statement).map((action) => `${action} ${where}`);
          }),
        )
        .sort();
    for (const name of Object.keys(review.stateless.functions)) {
      expect(granted(name), name).toEqual([...(expected[name] ?? [])].sort());
    }
  });

  /** The acknowledged cdk-nag rules (id → reason) on the construct whose CloudFormation resource is `id`. */
  function acknowledgmentsOn(stack: Stack, id: string): Record<string, string> {
    const construct = stack.node
      .findAll()
      .find(
        (candidate) =>
          candidate instanceof CfnResource && stack.resolve((candidate as CfnElement).logicalId) === id,
      );
    const acknowledged: Record<string, string> = {};
    for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
      for (const entry of scope.node.metadata) {
        if (entry.type === 'aws:cdk:acknowledged-rules') Object.assign(acknowledged, entry.data);
      }
    }
    return acknowledged;
  }

  it('uses no wildcard action, and only the wildcard resources CDK cannot avoid, each acknowledged with a reason', () => {
    const wildcards: string[] = [];
    for (const stack of [review.stateful, review.stateless]) {
      const template = stack === review.stateful ? review.statefulTemplate : review.statelessTemplate;
      for (const policy of Object.values(resources(template, 'AWS::IAM::Policy'))) {
        const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
        for (const statement of statements) {
          for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
          for (const resource of resourcesOf(statement)) {
            const text = JSON.stringify(resource);
            if (!text.includes('*')) continue;
            // "*" (ListStreams has no resource-level permission), the site bucket's objects, the upload bucket's
            // objects under uploads/, a function's versions.
            const suffix = text.endsWith(',"/*"]]}')
              ? '/*'
              : text.endsWith(',"/uploads/*"]]}')
                ? '/uploads/*'
                : ':*';
            const kind =
              resource === '*'
                ? 'ListStreams'
                : suffix === '/*' && text.includes(`"${exportName('SiteBucketArn')}"`)
                  ? 'site objects'
                  : suffix === '/uploads/*' && text.includes(`"${exportName('UploadBucketArn')}"`)
                    ? 'uploads'
                    : text.endsWith(',":*"]]}') && text.includes('"Fn::GetAtt"')
                      ? 'function versions'
                      : `unexpected ${text}`;
            const expectedActions = {
              ListStreams: [['dynamodb:ListStreams']],
              'site objects': [['s3:GetObject', 's3:PutObject', 's3:DeleteObject']],
              // The import reads uploads; the workbench signs the forms that put them.
              uploads: [['s3:GetObject'], ['s3:PutObject']],
              'function versions': [['lambda:InvokeFunction']],
            }[kind];
            expect(expectedActions, kind).toContainEqual(actionsOf(statement));
            const roles = policy.Properties.Roles as { Ref: string }[];
            for (const role of roles) {
              const reasons = Object.entries(acknowledgmentsOn(stack, role.Ref))
                .filter(([id]) => id.startsWith('Annotation::AwsSolutions-IAM5[Resource::'))
                .filter(([id]) =>
                  resource === '*'
                    ? id.endsWith('::*]')
                    : id.endsWith(`${suffix}]`) && (suffix !== '/*' || !id.endsWith('/uploads/*]')),
                )
                .map(([, reason]) => reason);
              expect(reasons, `${kind} on ${role.Ref}`).toHaveLength(1);
              expect(reasons[0]?.length).toBeGreaterThan(40);
            }
            wildcards.push(`${kind} for ${roles.map((role) => role.Ref).join(',')}`);
          }
        }
      }
    }
    const roleOf = (name: string) => logicalId(review.stateless.functions[name]?.role as IConstruct);
    expect(wildcards.filter((entry) => entry.startsWith('ListStreams')).sort()).toEqual(
      [`ListStreams for ${roleOf('Reanalyse')}`, `ListStreams for ${roleOf('Publish')}`].sort(),
    );
    expect(wildcards.filter((entry) => entry.startsWith('site objects')).sort()).toEqual(
      [
        `site objects for ${roleOf('Publish')}`,
        `site objects for ${roleOf('Workbench')}`,
        `site objects for ${roleOf('Seed')}`,
      ].sort(),
    );
    expect(wildcards.filter((entry) => entry.startsWith('uploads')).sort()).toEqual(
      [`uploads for ${roleOf('ImportUpload')}`, `uploads for ${roleOf('Workbench')}`].sort(),
    );
    expect(wildcards.filter((entry) => entry.startsWith('function versions'))).toHaveLength(4);
  });

  it('lets only the PubMed poller read the NCBI key, and passes it the parameter name, never a value', () => {
    const parameterReaders = Object.keys(review.stateless.functions).filter((name) =>
      statementsOf(name).some((statement) =>
        actionsOf(statement).some((action) => action.startsWith('ssm:')),
      ),
    );
    expect(parameterReaders).toEqual(['PollPubmed']);
    const reads = statementsOf('PollPubmed').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('ssm:')),
    );
    expect(reads.map(actionsOf)).toEqual([['ssm:GetParameter']]);
    expect(JSON.stringify(reads[0]?.Resource)).toContain(`:parameter${context.ncbiKeyParameter}`);
    expect(environmentOf('PollPubmed')[LAMBDA_ENV.ncbiKeyParameter]).toBe(context.ncbiKeyParameter);
    for (const name of Object.keys(review.stateless.functions)) {
      expect(Object.keys(environmentOf(name))).not.toContain('NCBI_API_KEY');
    }
  });

  it('binds each function only the resources it uses', () => {
    const bound = (name: string) =>
      Object.keys(environmentOf(name))
        .filter((variable) => variable.startsWith('LIVING_REVIEW_'))
        .sort();
    const { table, idempotencyTable, alertTopicArn, siteBucket, siteUrl, ncbiKeyParameter, reviewId } =
      LAMBDA_ENV;
    expect(bound('PollPubmed')).toEqual(
      [alertTopicArn, idempotencyTable, ncbiKeyParameter, reviewId, table].sort(),
    );
    expect(bound('PollCtgov')).toEqual([alertTopicArn, idempotencyTable, reviewId, table].sort());
    expect(bound('Reanalyse')).toEqual([alertTopicArn, idempotencyTable, reviewId, table].sort());
    expect(bound('Publish')).toEqual(
      [alertTopicArn, idempotencyTable, reviewId, siteBucket, siteUrl, table].sort(),
    );
    expect(bound('ScreeningApi')).toEqual([reviewId, table].sort());
    const { cognitoUserPoolId, cognitoClientId, cognitoDomainUrl, cognitoCallbackUrl } = LAMBDA_ENV;
    expect(bound('Workbench')).toEqual(
      [
        alertTopicArn,
        cognitoCallbackUrl,
        cognitoClientId,
        cognitoDomainUrl,
        cognitoUserPoolId,
        reviewId,
        siteBucket,
        siteUrl,
        table,
        LAMBDA_ENV.uploadBucket,
      ].sort(),
    );
    expect(bound('WorkbenchAuthorizer')).toEqual([cognitoClientId, cognitoUserPoolId, reviewId].sort());
  });
});

describe('the functions', () => {
  it('run on Node 22, ARM64, with JSON logs in a log group with retention', () => {
    const functions = resources(review.statelessTemplate, 'AWS::Lambda::Function');
    const groups = resources(review.statelessTemplate, 'AWS::Logs::LogGroup');
    for (const name of Object.keys(review.stateless.functions)) {
      const fn = functions[functionId(name)];
      expect(fn?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      });
      const groupId =
        (fn?.Properties.LoggingConfig as { LogGroup?: { Ref: string } } | undefined)?.LogGroup?.Ref ?? '';
      expect(groups[groupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });
});

describe('tear down', () => {
  it('deletes every log group with its stack (only the table and buckets are retained)', () => {
    const retained = (template: SynthesizedReview['statelessTemplate']) =>
      Object.entries(template.findResources('AWS::Logs::LogGroup') as Record<string, Resource>)
        .filter(([, group]) => group.DeletionPolicy !== 'Delete')
        .map(([id]) => id);
    expect(retained(review.statelessTemplate)).toEqual([]);
  });

  it("retains exactly the review table, the site bucket and its access-log bucket, the upload bucket, and the team's user pool", () => {
    const retained = Object.entries({
      ...review.statefulTemplate.toJSON().Resources,
      ...review.statelessTemplate.toJSON().Resources,
    } as Record<string, Resource>)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([id]) => id)
      .sort();
    expect(retained).toEqual(
      [
        statefulId(review.stateful.table),
        statefulId(review.stateful.site.bucket),
        statefulId(review.stateful.site.logsBucket),
        statefulId(review.stateful.uploads.bucket),
        logicalId(review.stateless.workbench.signIn.userPool),
      ].sort(),
    );
  });
});

describe('the screening API', () => {
  it("authorises every route with the team's Cognito ID tokens and serves exactly the handler routes (no $default route)", () => {
    const apiId = logicalId(review.stateless.node.findChild('ScreeningApi').node.findChild('Api'));
    const routes = Object.values(resources(review.statelessTemplate, 'AWS::ApiGatewayV2::Route')).filter(
      (route) => JSON.stringify(route.Properties.ApiId) === JSON.stringify({ Ref: apiId }),
    );
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'GET /queue',
      'GET /status',
      'POST /records/{id}/decisions',
    ]);
    const authorizers = resources(review.statelessTemplate, 'AWS::ApiGatewayV2::Authorizer');
    const { userPool, client } = review.stateless.workbench.signIn;
    for (const route of routes) {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      const authorizer = authorizers[(route.Properties.AuthorizerId as { Ref: string }).Ref];
      expect(authorizer?.Properties).toMatchObject({
        ApiId: { Ref: apiId },
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: logicalId(client) }],
          Issuer: {
            'Fn::Join': [
              '',
              [
                'https://cognito-idp.',
                { Ref: 'AWS::Region' },
                '.amazonaws.com/',
                { Ref: logicalId(userPool) },
              ],
            ],
          },
        },
      });
    }
  });

  it('logs every request to a log group', () => {
    review.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
    });
  });
});

describe('alerts and alarms', () => {
  it('names the alert topic in an output, for the CLI of an operator (LIVING_REVIEW_ALERT_TOPIC_ARN)', () => {
    review.statelessTemplate.hasOutput('AlertTopicArn', {
      Value: { Ref: logicalId(review.stateless.alerts.topic) },
    });
  });

  it('encrypts the alert topic and subscribes every e-mail address from context', () => {
    review.statelessTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const endpoints = Object.values(resources(review.statelessTemplate, 'AWS::SNS::Subscription')).map(
      (subscription) => [subscription.Properties.Protocol, subscription.Properties.Endpoint],
    );
    expect(endpoints.sort()).toEqual([
      ['email', 'lead@example.org'],
      ['email', 'second@example.org'],
    ]);
  });

  it('alarms the team on the depth of every dead-letter queue', () => {
    const queues = Object.keys(resources(review.statelessTemplate, 'AWS::SQS::Queue'));
    const alarms = Object.values(resources(review.statelessTemplate, 'AWS::CloudWatch::Alarm'));
    const topicRef = { Ref: logicalId(review.stateless.alerts.topic) };
    expect(queues).toHaveLength(7);
    for (const queueId of queues) {
      const alarm = alarms.find(
        (candidate) =>
          candidate.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(candidate.Properties.Dimensions).includes(queueId),
      );
      expect(alarm?.Properties).toMatchObject({ Threshold: 1, AlarmActions: [topicRef] });
    }
  });

  it('alarms the team on any 5xx answer of the screening API or the workbench within 5 minutes', () => {
    const apiIds = Object.keys(resources(review.statelessTemplate, 'AWS::ApiGatewayV2::Api')).sort();
    expect(apiIds).toHaveLength(2);
    const alarms = Object.values(resources(review.statelessTemplate, 'AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === '5xx',
    );
    const apiOf = (alarm: Resource) =>
      ((alarm.Properties.Dimensions as { Value: { Ref: string } }[])[0]?.Value.Ref ?? '') as string;
    expect(alarms.sort((a, b) => apiOf(a).localeCompare(apiOf(b))).map((alarm) => alarm.Properties)).toEqual(
      apiIds.map((apiId) =>
        expect.objectContaining({
          Namespace: 'AWS/ApiGateway',
          MetricName: '5xx',
          Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: logicalId(review.stateless.alerts.topic) }],
        }),
      ),
    );
  });

  it('alarms the team on errors of every function', () => {
    const alarms = Object.values(resources(review.statelessTemplate, 'AWS::CloudWatch::Alarm'));
    for (const name of Object.keys(review.stateless.functions)) {
      const alarm = alarms.find(
        (candidate) =>
          candidate.Properties.MetricName === 'Errors' &&
          JSON.stringify(candidate.Properties.Dimensions).includes(functionId(name)),
      );
      expect(alarm?.Properties).toMatchObject({
        Threshold: 1,
        AlarmActions: [{ Ref: logicalId(review.stateless.alerts.topic) }],
      });
    }
  });
});
