/**
 * A deployed review's table, opened from an operator's machine: the AWS SDK finds region, credentials and endpoint
 * as the AWS CLI does (AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID..., AWS_ENDPOINT_URL_DYNAMODB), and the table is
 * checked before any use case touches it, so a wrong setting is one clear message rather than an SDK error.
 * Nothing local is started: no dynalite, no data-directory lock.
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { ConfigError, messageOf, SourceError } from '#shared/errors.ts';
import { documentClientFor, type StoreConfig } from './config.ts';
import { DynamoStore } from './dynamo.ts';
import { CANONICAL_INDEX, KIND_INDEX, tableDefinition } from './table.ts';

export interface RemoteStore {
  store: DynamoStore;
  /** The process's one client. */
  client: DynamoDBClient;
  config: StoreConfig;
  close(): Promise<void>;
}

/** DynamoDB's own rule for table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Errors meaning the credentials were found but AWS does not accept them. */
const REFUSED_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'MissingAuthenticationTokenException',
]);

const REGION_HINT = 'set AWS_REGION (or a region for your AWS_PROFILE in ~/.aws/config)';
const CREDENTIALS_HINT =
  'set AWS_PROFILE (after `aws sso login` if it is an SSO profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';

/** The keys and indexes every use case relies on (./table.ts); another table would fail half-way through a write. */
function isReviewTable(table: TableDescription): boolean {
  const expected = tableDefinition(table.TableName ?? '');
  const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) =>
    JSON.stringify((schema ?? []).map((key) => [key.AttributeName, key.KeyType]));
  if (keys(table.KeySchema) !== keys(expected.KeySchema)) return false;
  return (expected.GlobalSecondaryIndexes ?? []).every((index) =>
    (table.GlobalSecondaryIndexes ?? []).some(
      (found) => found.IndexName === index.IndexName && keys(found.KeySchema) === keys(index.KeySchema),
    ),
  );
}

/** What went wrong reaching or describing the table, in words naming what to set (`label` names the flag). */
function describeFailure(error: unknown, label: string, tableName: string, region: string): Error {
  const name = error instanceof Error ? error.name : '';
  if (error instanceof DynamoDBServiceException || name.endsWith('Exception')) {
    if (name === 'ResourceNotFoundException')
      return new ConfigError(
        `${label}: there is no table "${tableName}" in ${region}: give the deployed review's table name (the Stateful stack's TableName output) and its region (AWS_REGION)`,
      );
    if (REFUSED_CREDENTIALS.has(name))
      return new ConfigError(
        `${label}: AWS refused the credentials (${messageOf(error)}): ${CREDENTIALS_HINT}`,
      );
    if (name === 'AccessDeniedException')
      return new ConfigError(
        `${label}: these credentials may not use table "${tableName}" (${messageOf(error)}): the operator's role needs dynamodb:DescribeTable and the table actions of the command`,
      );
  }
  if (name === 'CredentialsProviderError')
    return new ConfigError(`${label}: no AWS credentials found: ${CREDENTIALS_HINT}`);
  return new SourceError(
    label,
    `cannot reach DynamoDB (table "${tableName}" in ${region}): ${messageOf(error)}`,
  );
}

/**
 * Opens the deployed table `tableName`; `label` (the CLI's "--table NAME") starts every message. Throws ConfigError
 * for a setting to fix (region, credentials, table name), SourceError when DynamoDB cannot be reached.
 */
export async function openRemoteStore(tableName: string, label: string): Promise<RemoteStore> {
  if (!TABLE_NAME.test(tableName))
    throw new ConfigError(
      `${label}: "${tableName}" is not a DynamoDB table name (3 to 255 letters, digits, '_', '-' or '.')`,
    );
  const client = new DynamoDBClient({});
  const fail = (error: Error) => {
    client.destroy();
    return error;
  };
  let region: string;
  try {
    region = await client.config.region();
  } catch {
    throw fail(new ConfigError(`${label}: no AWS region: ${REGION_HINT}`));
  }
  try {
    await client.config.credentials();
  } catch {
    throw fail(new ConfigError(`${label}: no AWS credentials found: ${CREDENTIALS_HINT}`));
  }
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    throw fail(describeFailure(error, label, tableName, region));
  }
  if (!table || !isReviewTable(table))
    throw fail(
      new ConfigError(
        `${label}: table "${tableName}" is not a living-review table (keys pk and sk, indexes ${KIND_INDEX} and ${CANONICAL_INDEX}): check the name`,
      ),
    );
  if (table.TableStatus === 'CREATING' || table.TableStatus === 'DELETING')
    throw fail(
      new ConfigError(`${label}: table "${tableName}" is ${table.TableStatus}: try again once it is ACTIVE`),
    );
  return {
    store: new DynamoStore(documentClientFor(client), tableName),
    client,
    config: { tableName, region },
    close: async () => client.destroy(),
  };
}
