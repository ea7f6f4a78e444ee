/**
 * One process at a time per data directory. LevelDB refuses a second opener, and dynalite then crashes on its
 * first request, so the CLI takes this lock first: it waits a while for the other process, then says who holds it.
 * A lock left by a process that died is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '#shared/errors.ts';

const POLL_MS = 100;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(file: string): { acquired: true } | { acquired: false; holder: number } {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return { acquired: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(readFileSync(file, 'utf8').trim());
  if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) return { acquired: false, holder };
  rmSync(file, { force: true });
  return tryLock(file);
}

/** Resolves with a release function once this process holds the directory's lock. */
export async function lockDataDir(
  dir: string,
  waitMs: number,
  onWait: (holder: number) => void = () => {},
): Promise<() => void> {
  const file = join(dir, 'living-review.pid');
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const attempt = tryLock(file);
    if (attempt.acquired) return () => rmSync(file, { force: true });
    if (!told) {
      onWait(attempt.holder);
      told = true;
    }
    if (Date.now() >= deadline) {
      throw new ConfigError(
        `${dir} is in use by another living-review process (pid ${attempt.holder}); try again when it has finished`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
