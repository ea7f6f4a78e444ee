import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { startLocalStore } from '#shared/store/local.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'living-review-local-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the local store in a data directory', () => {
  it('keeps what was written after dynalite is stopped and started again', async () => {
    const first = await startLocalStore({ dataDir: dir });
    await first.store.setWatermark('pubmed', '2026-01-05T06:00:00.000Z');
    await first.close();
    const second = await startLocalStore({ dataDir: dir });
    expect(await second.store.getWatermark('pubmed')).toBe('2026-01-05T06:00:00.000Z');
    await second.close();
  });

  it('refuses a second opener while the first holds the directory, then lets it in', async () => {
    const first = await startLocalStore({ dataDir: dir });
    await expect(startLocalStore({ dataDir: dir, lockWaitMs: 50 })).rejects.toThrow(ConfigError);
    await expect(startLocalStore({ dataDir: dir, lockWaitMs: 50 })).rejects.toThrow(/in use by another/);
    await first.close();
    const second = await startLocalStore({ dataDir: dir, lockWaitMs: 50 });
    await second.close();
  });

  it('says once that it waits while another run holds the directory', async () => {
    const first = await startLocalStore({ dataDir: dir });
    let waits = 0;
    const second = startLocalStore({ dataDir: dir, lockWaitMs: 5_000, onWait: () => waits++ });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.close();
    await (await second).close();
    expect(waits).toBe(1);
  });

  it('is not blocked by an old PID file naming a live process that is not a living-review run', async () => {
    const stranger = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'living-review.pid'), String(stranger.pid));
      const local = await startLocalStore({ dataDir: dir, lockWaitMs: 50 });
      await local.close();
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it("is not blocked by an old PID file naming this process's own id (a restarted container's PID 1)", async () => {
    writeFileSync(join(dir, 'living-review.pid'), String(process.pid));
    const local = await startLocalStore({ dataDir: dir, lockWaitMs: 50 });
    await local.close();
  });

  it('takes over a lock that its holder stopped refreshing long ago (a run before a restart)', async () => {
    const lock = join(dir, 'living-review.lock');
    mkdirSync(lock);
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(lock, anHourAgo, anHourAgo);
    const local = await startLocalStore({ dataDir: dir, lockWaitMs: 50 });
    await local.close();
  });
});

describe('the data-directory lock of a run in another process', () => {
  let holder: ChildProcess | undefined;
  afterEach(() => {
    holder?.kill('SIGKILL');
  });

  async function startHolder(): Promise<ChildProcess> {
    const script = new URL('../../support/hold-data-lock.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    expect(line.toString()).toBe('locked\n');
    return child;
  }

  it('keeps this run out while it lives and lets it in soon after it is killed with SIGKILL', async () => {
    holder = await startHolder();
    await expect(startLocalStore({ dataDir: dir, lockWaitMs: 2_500, lockStaleMs: 2_000 })).rejects.toThrow(
      /in use by another/,
    );
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    // The dead run's lock stops being refreshed; after the stale time (2 s here, 10 s by default) it is ours.
    const local = await startLocalStore({ dataDir: dir, lockWaitMs: 10_000, lockStaleMs: 2_000 });
    await local.close();
  }, 30_000);

  it('refuses a data directory that is a file, naming it', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    await expect(startLocalStore({ dataDir: file })).rejects.toThrow(
      /cannot use .*not-a-dir as the data directory/,
    );
  });
});
