import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConfigError } from '#shared/errors.ts';

const StoreConfigSchema = z.object({
  tableName: z.string().min(3, 'LIVING_REVIEW_TABLE must name a DynamoDB table (3+ characters)'),
  region: z.string().min(1, 'AWS_REGION is required'),
  endpoint: z.url().optional(),
});

export type StoreConfig = z.infer<typeof StoreConfigSchema>;

/** Reads the store configuration once (in a Lambda: from its environment) and fails with a message naming the variable. */
export function storeConfigFromEnv(env: Record<string, string | undefined>): StoreConfig {
  const parsed = StoreConfigSchema.safeParse({
    tableName: env.LIVING_REVIEW_TABLE ?? '',
    region: env.AWS_REGION ?? '',
    endpoint: env.LIVING_REVIEW_DYNAMODB_ENDPOINT || undefined,
  });
  if (!parsed.success) {
    throw new ConfigError(
      `store configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  }
  return parsed.data;
}

/** The one DynamoDB client of a process, built from configuration and handed to the adapter. */
export function createDynamoClient(
  config: StoreConfig,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): DynamoDBClient {
  return new DynamoDBClient({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
}

export function documentClientFor(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
