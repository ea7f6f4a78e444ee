/**
 * The process-wide clients and cycle ports of a Lambda, built once at cold start from validated configuration.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { snsNotifier } from '#shared/alerts/sns.ts';
import type { CyclePorts } from '#shared/cycle.ts';
import { DEPLOYED_LEASE_MS, leasedSession } from '#shared/records/ingest.ts';
import { createDynamoClient, documentClientFor, storeConfigFromEnv } from '#shared/store/config.ts';
import { DynamoStore } from '#shared/store/dynamo.ts';
import { systemClock } from '#shared/store/ports.ts';
import { requiredEnv, reviewById } from './env.ts';

export interface CycleRuntime {
  ports: CyclePorts;
  /** The one DynamoDB client, shared with the idempotency store. */
  dynamo: DynamoDBClient;
  region: string;
  idempotencyTable: string;
}

export function cycleRuntimeFromEnv(env: Record<string, string | undefined>): CycleRuntime {
  const storeConfig = storeConfigFromEnv(env);
  const settings = requiredEnv(env, ['reviewId', 'alertTopicArn', 'idempotencyTable']);
  const dynamo = createDynamoClient(storeConfig);
  const sns = new SNSClient({ region: storeConfig.region });
  return {
    ports: {
      review: reviewById(settings.reviewId),
      store: new DynamoStore(documentClientFor(dynamo), storeConfig.tableName),
      clock: systemClock,
      notifier: snsNotifier(sns, settings.alertTopicArn),
      // Lambdas (and operators' CLI runs) share the table and may run at once: a batch another run works on is
      // taken over only after the lease.
      session: leasedSession(DEPLOYED_LEASE_MS),
    },
    dynamo,
    region: storeConfig.region,
    idempotencyTable: settings.idempotencyTable,
  };
}
