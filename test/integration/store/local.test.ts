import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('takes over a lock left by a process that no longer runs', async () => {
    writeFileSync(join(dir, 'living-review.pid'), '999999999');
    const local = await startLocalStore({ dataDir: dir, lockWaitMs: 50 });
    await local.close();
  });

  it('refuses a data directory that is a file, naming it', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    await expect(startLocalStore({ dataDir: file })).rejects.toThrow(
      /cannot use .*not-a-dir as the data directory/,
    );
  });
});
