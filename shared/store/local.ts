/**
 * Local DynamoDB: dynalite in-process on 127.0.0.1 with a free port, in memory (tests) or persisted to a data
 * directory (CLI, LevelDB via classic-level). The same adapter code then runs as in AWS.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ConfigError, messageOf } from '#shared/errors.ts';
import { createDynamoClient, documentClientFor, type StoreConfig } from './config.ts';
import { DynamoStore } from './dynamo.ts';
import { ensureTable } from './table.ts';

export const DEFAULT_DATA_DIR = './.living-review';
export const LOCAL_TABLE = 'living-review';

export interface LocalStore {
  store: DynamoStore;
  /** The process's one client; benchmarks attach a request-counting middleware to it. */
  client: DynamoDBClient;
  config: StoreConfig;
  /** Stops dynalite and releases the data directory. */
  close(): Promise<void>;
}

/** Starts dynalite; `dataDir` undefined keeps everything in memory. */
export async function startLocalStore(options: { dataDir?: string } = {}): Promise<LocalStore> {
  let path: string | undefined;
  if (options.dataDir !== undefined) {
    path = join(options.dataDir, 'dynamodb');
    mkdirSync(path, { recursive: true });
  }
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const config: StoreConfig = {
    tableName: LOCAL_TABLE,
    region: 'local',
    endpoint: `http://127.0.0.1:${port}`,
  };
  const client = createDynamoClient(config, { accessKeyId: 'local', secretAccessKey: 'local' });
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };
  try {
    await ensureTable(client, config.tableName);
  } catch (error) {
    await close().catch(() => undefined);
    throw new ConfigError(
      `cannot open the local store${path ? ` in ${path}` : ''} (is another living-review process using it?): ${messageOf(error)}`,
    );
  }
  return { store: new DynamoStore(documentClientFor(client), config.tableName), client, config, close };
}
