import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { BibRecord } from '#shared/records/record.ts';
import { type LocalStore, startLocalStore } from '#shared/store/local.ts';
import type { Clock } from '#shared/store/ports.ts';
import { stableJson } from '#shared/text/content-hash.ts';

/** An in-memory dynalite store; call close() in afterEach/afterAll. */
export function memoryStore(): Promise<LocalStore> {
  return startLocalStore();
}

/** A clock that moves one second forward each time it is read, so decisions have distinct, ordered times. */
export function steppingClock(start = '2026-01-05T09:00:00.000Z'): Clock {
  let next = Date.parse(start);
  return {
    now: () => {
      const now = new Date(next);
      next += 1000;
      return now;
    },
  };
}

/** Every item of the table, sorted: compare before and after to prove a refused command wrote nothing. */
export async function dumpTable(local: LocalStore): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await local.client.send(
      new ScanCommand({ TableName: local.config.tableName, ExclusiveStartKey: start as never }),
    );
    items.push(...(page.Items ?? []).map(stableJson));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort();
}

/** A publication as a source parser would produce it; override what the test is about. */
export function bibRecord(overrides: Partial<BibRecord> & Pick<BibRecord, 'id'>): BibRecord {
  return {
    source: 'pubmed',
    nctIds: [],
    title: 'Peer support groups for people with severe mental illness: a randomised controlled trial',
    abstract: '',
    authors: ['Rüsch N'],
    year: 2020,
    publicationTypes: ['Journal Article'],
    mesh: [],
    retracted: false,
    ...overrides,
  };
}

/** The table Powertools idempotency keeps its records in, as the stateful stack creates it (key `id`). */
export async function createIdempotencyTable(local: LocalStore, tableName: string): Promise<void> {
  await local.client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
}
