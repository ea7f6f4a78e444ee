/**
 * Recording what a use case really sends to the review table, to check it against the access a function is granted
 * (infra/table-access.ts): each request as the DynamoDB client serialises it (action, index, partition keys
 * written or read by key), and whether the grant lets it through as IAM would with useReviewTable's statements.
 */
import type { LocalStore } from '#shared/store/local.ts';
import type { ReviewTableAccess, WriteAction } from '../../infra/table-access.ts';
import { stringLike } from './iam.ts';

export interface TableCall {
  action: string;
  index?: string;
  /** The partition keys of the items read or written by key. */
  partitions: string[];
}

type Marshalled = { pk?: { S?: string } };

export function tableCall(
  command: string,
  input: Record<string, unknown>,
  table: string,
): TableCall | undefined {
  const action = `dynamodb:${command.replace(/Command$/, '')}`;
  const batch = (input.RequestItems as Record<string, unknown> | undefined)?.[table];
  if (!batch && input.TableName !== table) return undefined;
  // BatchGetItem names its keys; BatchWriteItem lists put and delete requests.
  const requests = batch as
    | { Keys: Marshalled[] }
    | { DeleteRequest?: { Key: Marshalled }; PutRequest?: { Item: Marshalled } }[]
    | undefined;
  const keyed = Array.isArray(requests)
    ? requests.map((request) => request.DeleteRequest?.Key ?? request.PutRequest?.Item)
    : (requests?.Keys ?? [input.Key ?? input.Item].filter((key) => key !== undefined));
  return {
    action,
    ...(typeof input.IndexName === 'string' ? { index: input.IndexName } : {}),
    partitions: (keyed as Marshalled[]).map((key) => String(key.pk?.S)),
  };
}

/**
 * Records the review-table requests of the local store's client from now on; the function returned gives the
 * requests `work` sends.
 */
export function recordTableCalls(local: LocalStore): (work: () => Promise<unknown>) => Promise<TableCall[]> {
  let recorded: TableCall[] | undefined;
  local.client.middlewareStack.add(
    (next, context) => async (args) => {
      const call = tableCall(
        context.commandName ?? '',
        args.input as Record<string, unknown>,
        local.config.tableName,
      );
      if (recorded && call) recorded.push(call);
      return next(args);
    },
    { step: 'build', name: 'recordReviewTableCalls' },
  );
  return async (work) => {
    recorded = [];
    try {
      await work();
      return recorded;
    } finally {
      recorded = undefined;
    }
  };
}

/** Whether the grant lets the call through, as IAM would with useReviewTable's statements. */
export function permitted(access: ReviewTableAccess, call: TableCall): boolean {
  if (call.index) return call.action === 'dynamodb:Query' && access.indexes.includes(call.index);
  const partitions = access.write[call.action as WriteAction];
  if (partitions) return call.partitions.every((pk) => partitions.some((pattern) => stringLike(pattern, pk)));
  return (access.read as readonly string[]).includes(call.action);
}

export const denied = (access: ReviewTableAccess, calls: TableCall[]) =>
  calls.filter((call) => !permitted(access, call)).map((call) => JSON.stringify(call));

export const actionsIn = (calls: TableCall[]) => [...new Set(calls.map((call) => call.action))].sort();
