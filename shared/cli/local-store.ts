import { resolve } from 'node:path';
import { localNotifier } from '#shared/alerts/local.ts';
import type { Notifier } from '#shared/alerts/notifier.ts';
import { DEFAULT_DATA_DIR, type LocalStore, startLocalStore } from '#shared/store/local.ts';
import { optionalString } from './options.ts';
import type { CliIO, ParsedValues } from './verb.ts';

/** The `--data DIR` option every store-backed verb takes. */
export const dataOption = { data: { type: 'string' } } as const;

export const DATA_HELP = `  --data DIR              where the local store lives (default ${DEFAULT_DATA_DIR})`;

export function dataDir(values: ParsedValues, io: CliIO): string {
  return resolve(io.cwd, optionalString(values, 'data') ?? DEFAULT_DATA_DIR);
}

/**
 * Team alerts of a local run: appended to DIR/alerts/<date>.md and printed, on stdout only when stdout is not
 * carrying a --json document.
 */
export function teamNotifier(
  values: ParsedValues,
  io: CliIO,
  print: (text: string) => void = io.stderr,
): Notifier {
  return localNotifier(resolve(dataDir(values, io), 'alerts'), print);
}

/** Set only by the crash tests (test/e2e/crash.test.ts): see LocalStoreOptions.killAtWrite. */
const KILL_AT_WRITE = 'LIVING_REVIEW_TEST_KILL_AT_WRITE';

/** Opens the local store from --data for one piece of work and always stops dynalite afterwards. */
export async function withLocalStore<T>(
  values: ParsedValues,
  io: CliIO,
  work: (local: LocalStore) => Promise<T>,
): Promise<T> {
  const dir = dataDir(values, io);
  const killAt = Number(io.env[KILL_AT_WRITE]);
  const local = await startLocalStore({
    dataDir: dir,
    onWait: () => io.stderr(`waiting for another living-review run to finish with ${dir}...\n`),
    onLockLost: (message) => io.stderr(`${message}\n`),
    ...(Number.isInteger(killAt) && killAt > 0 ? { killAtWrite: killAt } : {}),
  });
  try {
    return await work(local);
  } finally {
    await local.close();
  }
}
