/**
 * Where a verb finds the store: the local one under --data DIR (dynalite in-process, the data directory locked for
 * the run) or, with --table NAME, a deployed review's table in AWS. The one place that chooses; verbs get the store,
 * the run's session and the team's notifier, and stay the same in both modes.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '#shared/alerts/notifier.ts';
import { snsNotifier } from '#shared/alerts/sns.ts';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { ConfigError, InputError } from '#shared/errors.ts';
import {
  DEPLOYED_LEASE_MS,
  exclusiveStoreSession,
  leasedSession,
  type RunSession,
} from '#shared/records/ingest.ts';
import type { DynamoStore } from '#shared/store/dynamo.ts';
import { openRemoteStore } from '#shared/store/remote.ts';
import { DATA_HELP, dataOption, teamNotifier, withLocalStore } from './local-store.ts';
import { optionalString } from './options.ts';
import type { CliIO, ParsedValues } from './verb.ts';

/** The options of a verb that works on the local store or on a deployed table. */
export const storeOptions = { ...dataOption, table: { type: 'string' } } as const;

/** The team's alert topic of a deployment: the variable its functions read, so an operator sets the same one. */
export const ALERT_TOPIC_ENV = LAMBDA_ENV.alertTopicArn;

export const STORE_HELP = `${DATA_HELP}
  --table NAME            work on a deployed review's DynamoDB table instead (not with --data): region and
                          credentials as the AWS CLI finds them (AWS_REGION, AWS_PROFILE...); team alerts go to
                          the topic in $${ALERT_TOPIC_ENV}; see the README's Deploy section`;

export interface StoreAccess {
  store: DynamoStore;
  /** How this run shares the store: alone (the data directory is locked) or with live functions (a lease). */
  session: RunSession;
  /**
   * Where team alerts go: DIR/alerts and the terminal locally; the deployment's alert topic with --table, or
   * nowhere when no topic is set (a digest owed by an earlier run then waits for a run that can send it).
   */
  notifier: Notifier | undefined;
}

export interface StoreNeeds {
  /** The command may tell the team something (a digest, a conclusion that moved): --table then needs the topic. */
  alerts?: boolean;
  /** Where a local alert is printed (default stderr). */
  print?: (text: string) => void;
}

/** A command that said it alerts always has a notifier: without one, --table refuses to start. */
export type AccessFor<N extends StoreNeeds> = N extends { alerts: true }
  ? StoreAccess & { notifier: Notifier }
  : StoreAccess;

/** Opens the store the options name for one piece of work, and always closes it afterwards. */
export async function withStore<T, const N extends StoreNeeds>(
  values: ParsedValues,
  io: CliIO,
  needs: N,
  work: (access: AccessFor<N>) => Promise<T>,
): Promise<T> {
  const table = optionalString(values, 'table');
  if (table === undefined) {
    const notifier = teamNotifier(values, io, needs.print);
    return withLocalStore(values, io, ({ store }) =>
      work({ store, session: exclusiveStoreSession, notifier } as AccessFor<N>),
    );
  }
  if (values.data !== undefined)
    throw new InputError(
      '--table and --data cannot be used together: --data DIR opens a local store, --table NAME a deployed table',
    );
  const label = `--table ${table}`;
  const topic = io.env[ALERT_TOPIC_ENV] || undefined;
  if (needs.alerts && topic === undefined)
    throw new ConfigError(
      `${label}: this command may alert the review team (a digest, a conclusion that moved), which a deployment does through its alert topic: set ${ALERT_TOPIC_ENV} to the topic's ARN (the Stateless stack's AlertTopicArn output)`,
    );
  const remote = await openRemoteStore(table, label);
  // The one SNS client of the run, resolved like the table's (region, credentials, AWS_ENDPOINT_URL_SNS); loaded
  // only here, so local runs do not pay for it.
  const sns: SNSClient | undefined =
    topic === undefined ? undefined : new (await import('@aws-sdk/client-sns')).SNSClient({});
  try {
    return await work({
      store: remote.store,
      session: leasedSession(DEPLOYED_LEASE_MS),
      notifier: sns && topic ? snsNotifier(sns, topic) : undefined,
    } as AccessFor<N>);
  } finally {
    sns?.destroy();
    await remote.close();
  }
}
