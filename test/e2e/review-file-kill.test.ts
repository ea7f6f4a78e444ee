/**
 * A review run from its file is a multi-step write too: binding the store to the review, storing the published
 * review's reports and decisions, grouping them into its trials, importing its data (arm-level rows and
 * precalculated effects), polling, analysing, publishing. Killed with SIGKILL before a random one of those writes,
 * the next run of the same command must end as a run never killed: the same stored items and each alert once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { random, runChild, sentAlerts, storedState } from '#test/support/crash.ts';

const made: string[] = [];
function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `living-review-review-kill-${name}-`));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const cycle = (dir: string, killAtWrite?: number) =>
  runChild(
    ['cycle', '--offline', '--review', 'smit-2023', '--data', join(dir, 'data'), '--site', join(dir, 'site')],
    killAtWrite === undefined ? {} : { killAtWrite },
  );

const outcomeOf = async (dir: string) => ({
  state: await storedState(join(dir, 'data')),
  alerts: sentAlerts(join(dir, 'data')),
  analyses: JSON.parse(readFileSync(join(dir, 'site', 'analysis.json'), 'utf8')).analyses,
});

describe('the smit-2023 review cycle killed at a random store write', () => {
  let clean: Awaited<ReturnType<typeof outcomeOf>>;
  let writes = 0;
  beforeAll(async () => {
    const dir = tempDir('clean');
    const run = await cycle(dir);
    expect(run.code).toBe(0);
    writes = run.writes ?? 0;
    clean = await outcomeOf(dir);
  }, 120_000);

  it('writes the binding, the baseline, the data and an analysis on a clean run', () => {
    expect(writes).toBeGreaterThan(50);
    expect(
      clean.state.some((item) => item.includes('DOC#review#binding') && item.includes('smit-2023')),
    ).toBe(true);
    expect(clean.analyses.filter((entry: { analysis: string }) => entry.analysis === 'main')).toHaveLength(3);
  });

  for (const seed of [31, 32]) {
    it(`ends as a run never killed (seed ${seed})`, async () => {
      const next = random(seed);
      const dir = tempDir(`seed-${seed}`);
      const at = 1 + Math.floor(next() * writes);
      const killed = await cycle(dir, at);
      expect(killed.signal, `killed before write ${at} of ${writes}`).toBe('SIGKILL');
      const resumed = await cycle(dir);
      expect(resumed.code).toBe(0);
      const outcome = await outcomeOf(dir);
      expect(outcome.state).toEqual(clean.state);
      expect(outcome.analyses).toEqual(clean.analyses);
      expect(outcome.alerts).toEqual(clean.alerts);
    }, 120_000);
  }
});
