/**
 * One process at a time per data directory. LevelDB refuses a second opener, and dynalite then crashes on its
 * first request, so the CLI takes this lock first: it waits a while for the other run, then gives up saying so.
 *
 * The lock is proper-lockfile's: a directory created atomically (mkdir) whose mtime the holder refreshes every
 * second. A lock whose mtime has not moved for `staleMs` is a lock nobody holds: the run that made it was killed
 * or its machine restarted. It used to be a PID file, and a process id cannot tell a living-review run from any
 * other process that got the same id later, nor from this very process after a container restart (node is PID 1
 * each time); such a file blocked every run for ever. The old file is ignored and removed once we hold the lock.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { ConfigError } from '#shared/errors.ts';

const POLL_MS = 100;
const LOCK_NAME = 'living-review.lock';
const LEGACY_PID_FILE = 'living-review.pid';
/** A holder refreshes its lock every second, so ten seconds unrefreshed means it is gone (or frozen for 9 s). */
export const DEFAULT_LOCK_STALE_MS = 10_000;
const REFRESH_MS = 1_000;

export interface DataLockOptions {
  /** How long to wait for another run before giving up. */
  waitMs: number;
  /** A lock not refreshed for this long is taken over (proper-lockfile's floor is 2 s). */
  staleMs?: number;
  /** Told once when another run holds the directory and this one starts waiting. */
  onWait?: () => void;
  /**
   * Told if this run's lock was taken over because it could not refresh it in time (an event loop blocked for
   * longer than staleMs). LevelDB's own lock still keeps the other run out of the store, so this run goes on.
   */
  onLost?: (message: string) => void;
}

function isHeldElsewhere(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ELOCKED';
}

/** Resolves with a release function once this process holds the directory's lock. */
export async function lockDataDir(dir: string, options: DataLockOptions): Promise<() => Promise<void>> {
  const lockfilePath = join(dir, LOCK_NAME);
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    try {
      const release = await lock(dir, {
        lockfilePath,
        realpath: false,
        stale: options.staleMs ?? DEFAULT_LOCK_STALE_MS,
        update: REFRESH_MS,
        onCompromised: (error) =>
          options.onLost?.(`the lock on ${dir} was lost (${error.message}); carrying on`),
      });
      rmSync(join(dir, LEGACY_PID_FILE), { force: true });
      return async () => {
        // Releasing a lock that was compromised meanwhile throws; there is nothing left to release then.
        await release().catch(() => undefined);
      };
    } catch (error) {
      if (!isHeldElsewhere(error)) throw error;
    }
    if (!told) {
      options.onWait?.();
      told = true;
    }
    if (Date.now() >= deadline) {
      throw new ConfigError(
        `${dir} is in use by another living-review process; try again when it has finished`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
