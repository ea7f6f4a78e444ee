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
import { lockDataDir } from './data-lock.ts';
import { DynamoStore } from './dynamo.ts';
import { ensureTable } from './table.ts';

export const DEFAULT_DATA_DIR = './.living-review';
export const LOCAL_TABLE = 'living-review';
/** How long a CLI run waits for another one using the same data directory (a long import, say). */
const DEFAULT_LOCK_WAIT_MS = 120_000;

export interface LocalStoreOptions {
  /** Persist under this directory; undefined keeps everything in memory. */
  dataDir?: string;
  lockWaitMs?: number;
  /** A data-directory lock not refreshed for this long belongs to a run that died and is taken over. */
  lockStaleMs?: number;
  /** Told once when another run holds the data directory and this one starts waiting. */
  onWait?: () => void;
  /** Told if this run's lock was taken over while it still ran (it could not refresh it in time). */
  onLockLost?: (message: string) => void;
  /**
   * Crash tests only: the process kills itself (SIGKILL) just before its n-th store write, and reports the writes
   * it made when it exits normally (to stderr), so a test can aim kills across a whole run.
   */
  killAtWrite?: number;
}

const WRITE_COMMANDS = /^(Put|Update|Delete|BatchWrite)(Item)?Command$/;

/** The crash-test hook of LocalStoreOptions.killAtWrite: counts writes on the client, dies at the n-th. */
function killAtWrite(client: DynamoDBClient, write: number): void {
  let writes = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITE_COMMANDS.test(context.commandName ?? '')) {
        writes += 1;
        if (writes === write) process.kill(process.pid, 'SIGKILL');
      }
      return next(args);
    },
    { step: 'initialize', name: 'crashTestKillAtWrite' },
  );
  process.once('exit', () => process.stderr.write(`store writes: ${writes}\n`));
}

export interface LocalStore {
  store: DynamoStore;
  /** The process's one client; benchmarks attach a request-counting middleware to it. */
  client: DynamoDBClient;
  config: StoreConfig;
  /** Stops dynalite and releases the data directory. */
  close(): Promise<void>;
}

/** Creates the data directory and takes its lock; returns the LevelDB path and the release function. */
async function prepareDataDir(dataDir: string, options: LocalStoreOptions) {
  const path = join(dataDir, 'dynamodb');
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new ConfigError(`cannot use ${dataDir} as the data directory: ${messageOf(error)}`);
  }
  const unlock = await lockDataDir(dataDir, {
    waitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
    staleMs: options.lockStaleMs,
    onWait: options.onWait,
    onLost: options.onLockLost,
  });
  return { path, unlock };
}

export async function startLocalStore(options: LocalStoreOptions = {}): Promise<LocalStore> {
  const persisted =
    options.dataDir === undefined ? undefined : await prepareDataDir(options.dataDir, options);
  const unlock = persisted?.unlock ?? (async () => {});
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(persisted ? { path: persisted.path } : {}),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const config: StoreConfig = {
    tableName: LOCAL_TABLE,
    region: 'local',
    endpoint: `http://127.0.0.1:${port}`,
  };
  const client = createDynamoClient(config, { accessKeyId: 'local', secretAccessKey: 'local' });
  if (options.killAtWrite !== undefined) killAtWrite(client, options.killAtWrite);
  const close = async () => {
    client.destroy();
    try {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    } finally {
      await unlock();
    }
  };
  try {
    await ensureTable(client, config.tableName);
  } catch (error) {
    await close().catch(() => undefined);
    const where = persisted ? ` in ${persisted.path}` : '';
    throw new ConfigError(`cannot open the local store${where}: ${messageOf(error)}`);
  }
  return { store: new DynamoStore(documentClientFor(client), config.tableName), client, config, close };
}
