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

/** What every function serving the review builds at cold start: the cycle's ports and the one DynamoDB client. */
export interface CyclePortsRuntime {
  ports: CyclePorts;
  /** The one DynamoDB client, shared with the idempotency store where a function has one. */
  dynamo: DynamoDBClient;
  region: string;
}

export interface CycleRuntime extends CyclePortsRuntime {
  idempotencyTable: string;
}

/** The ports of a function that does not remember runs (no idempotency table): the review, store, clock, alerts. */
export function cyclePortsFromEnv(env: Record<string, string | undefined>): CyclePortsRuntime {
  const storeConfig = storeConfigFromEnv(env);
  const settings = requiredEnv(env, ['reviewId', 'alertTopicArn']);
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
  };
}

export function cycleRuntimeFromEnv(env: Record<string, string | undefined>): CycleRuntime {
  // Every missing variable is named at once.
  const { idempotencyTable } = requiredEnv(env, ['reviewId', 'alertTopicArn', 'idempotencyTable']);
  return { ...cyclePortsFromEnv(env), idempotencyTable };
}
