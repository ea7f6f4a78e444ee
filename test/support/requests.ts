import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Counts the DynamoDB requests a client sends, by command name (a middleware on the process's one client). */
export function countRequests(client: DynamoDBClient) {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: `requestCounter${Math.random()}` },
  );
  return {
    reset: () => counts.clear(),
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    byCommand: () => Object.fromEntries([...counts.entries()].sort()),
  };
}
