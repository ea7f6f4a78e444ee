/**
 * `extract import` killed with SIGKILL at seeded random moments: whatever moment the process dies, the stored
 * extraction data are the whole previous import or the whole new one, never a mix, so an analysis never pools part
 * of a file. A clean run afterwards completes the switch.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { isArmRow } from '#shared/extraction/model.ts';
import { startLocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { seededRandom } from '#test/support/store.ts';

const STUDIES = 300;
const HEADER = 'study,outcome,timepoint,instrument,arm,role,control_type,mean,sd,n';

/** A file of STUDIES two-arm trials whose intervention means all carry `version`, so a mix is easy to see. */
function extractionCsv(version: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= STUDIES; i++) {
    lines.push(`Trial ${i} 2020,recovery,post,RAS,Peer group,intervention,,${version}.5,10,40`);
    lines.push(`Trial ${i} 2020,recovery,post,RAS,Usual care,control,tau,50,10,40`);
  }
  return `${lines.join('\n')}\n`;
}

function runImport(dir: string, file: string): ChildProcess {
  return spawn(
    process.execPath,
    ['bin/living-review.js', 'extract', 'import', file, '--format', 'csv', '--data', dir],
    { stdio: 'ignore' },
  );
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

/** The intervention means of every stored row, read as the analysis reads them. */
async function storedVersions(dir: string): Promise<Set<string>> {
  // The killed run's lock is stale once it stops being refreshed; take it over quickly.
  const local = await startLocalStore({ dataDir: dir, lockStaleMs: 1_500 });
  try {
    const { rows } = await documentExtractionStore(local.store, systemClock).listData();
    return new Set(
      rows
        .filter(isArmRow)
        .filter((row) => row.role === 'intervention')
        .map((row) => String(row.mean)),
    );
  } finally {
    await local.close();
  }
}

describe('extract import killed at any moment', () => {
  it('leaves the whole previous file or the whole new one, and a clean run completes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'living-review-extract-kill-'));
    const first = join(dir, 'trials-v1.csv');
    writeFileSync(first, extractionCsv(1));
    const started = Date.now();
    expect(await exited(runImport(dir, first))).toBe(0);
    const fullRunMs = Date.now() - started;
    expect(await storedVersions(dir)).toEqual(new Set(['1.5']));

    // The same file name, corrected: every intervention mean changes.
    const file = join(dir, 'trials.csv');
    writeFileSync(file, extractionCsv(1));
    expect(await exited(runImport(dir, file))).toBe(0);
    writeFileSync(file, extractionCsv(2));
    const seen = new Set<string>();
    for (const seed of [11, 23, 37, 41]) {
      const delay = Math.floor(seededRandom(seed)() * fullRunMs);
      const child = runImport(dir, file);
      const done = exited(child);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await done;
      const versions = await storedVersions(dir);
      // All of the old import or all of the new one: never both, never a part.
      expect([...versions], `killed after ${delay} ms (seed ${seed})`).toHaveLength(1);
      seen.add([...versions][0] as string);
    }
    expect(await exited(runImport(dir, file))).toBe(0);
    expect(await storedVersions(dir)).toEqual(new Set(['2.5']));
    const local = await startLocalStore({ dataDir: dir, lockStaleMs: 1_500 });
    try {
      const { studies, rows } = await documentExtractionStore(local.store, systemClock).listData();
      expect(studies).toHaveLength(STUDIES);
      expect(rows).toHaveLength(2 * STUDIES);
    } finally {
      await local.close();
    }
  }, 240_000);
});
