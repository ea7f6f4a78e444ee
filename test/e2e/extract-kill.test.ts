/**
 * `extract import` killed with SIGKILL just before a seeded random store write: whatever write the process dies
 * at, the stored extraction data are the whole previous import or the whole new one, never a mix, so an analysis
 * never pools part of a file; the next run completes the switch.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { isArmRow } from '#shared/extraction/model.ts';
import { startLocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { random, runChild } from '#test/support/crash.ts';

const STUDIES = 120;
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

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'living-review-extract-kill-'));
  made.push(copy);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

const importFile = (dir: string, file: string, killAtWrite?: number) =>
  runChild(['extract', 'import', file, '--format', 'csv', '--data', dir], {
    ...(killAtWrite === undefined ? {} : { killAtWrite }),
  });

/** What the analysis reads: the studies and every row, in one consistent read. */
async function storedData(dir: string) {
  // A killed run's lock is stale once it stops being refreshed; take it over quickly.
  const local = await startLocalStore({ dataDir: dir, lockStaleMs: 1_500 });
  try {
    const { studies, rows } = await documentExtractionStore(local.store, systemClock).listData();
    const means = new Set(
      rows
        .filter(isArmRow)
        .filter((row) => row.role === 'intervention')
        .map((r) => r.mean),
    );
    return { studies: studies.length, rows: rows.length, means: [...means] };
  } finally {
    await local.close();
  }
}

describe('extract import killed at any store write', () => {
  it('leaves the whole previous file or the whole new one, and the next run completes it', async () => {
    const base = mkdtempSync(join(tmpdir(), 'living-review-extract-base-'));
    made.push(base);
    const file = join(base, 'trials.csv');
    writeFileSync(file, extractionCsv(1));
    expect((await importFile(base, file)).code).toBe(0);
    expect(await storedData(base)).toEqual({ studies: STUDIES, rows: 2 * STUDIES, means: [1.5] });

    // The same file, corrected: every intervention mean changes. How many writes does a whole import take?
    writeFileSync(file, extractionCsv(2));
    const clean = await importFile(copyOf(base), file);
    expect(clean.code).toBe(0);
    const writes = clean.writes ?? 0;
    expect(writes).toBeGreaterThan(STUDIES);

    // Seeded random writes, and the first and last two: the switch is one write near the end of the import.
    const seeded = [3, 5, 8].map((seed) => 1 + Math.floor(random(seed)() * writes));
    const seen = new Set<number>();
    for (const at of [1, ...seeded, writes - 1, writes]) {
      const dir = copyOf(base);
      const killed = await importFile(dir, file, at);
      expect(killed.signal, `killed before write ${at} of ${writes}`).toBe('SIGKILL');
      const left = await storedData(dir);
      // All of the old import or all of the new one: never both, never a part.
      expect(left.means, `killed before write ${at} of ${writes}`).toHaveLength(1);
      expect(left).toMatchObject({ studies: STUDIES, rows: 2 * STUDIES });
      seen.add(left.means[0] as number);
      const resumed = await importFile(dir, file);
      expect(resumed.code).toBe(0);
      expect(await storedData(dir)).toEqual({ studies: STUDIES, rows: 2 * STUDIES, means: [2.5] });
    }
    // The kills fell on both sides of the switch: some left the old file whole, some the new one.
    expect([...seen].sort()).toEqual([1.5, 2.5]);
  }, 300_000);
});
