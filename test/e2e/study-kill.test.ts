/**
 * A study command killed with SIGKILL before one of its store writes (the recorded event, the included-data marker,
 * the new analysis version and its alert): run again, it ends as a run never killed: the team's judgement holds
 * and the analysis is the one a clean run makes.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisBody } from '#shared/analysis/reanalyse.ts';
import { startLocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { runChild } from '#test/support/crash.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';

const METAPSY = fileURLToPath(
  new URL('../../reviews/group-peer-support/data/metapsy-data.csv', import.meta.url),
);

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'living-review-study-kill-'));
  made.push(dir);
  return dir;
}
function copyOf(dir: string): string {
  const copy = tempDir();
  cpSync(dir, copy, { recursive: true });
  return copy;
}

const judge = (dir: string, killAtWrite?: number) =>
  runChild(
    [
      'study',
      'judge-data',
      'kaplan-2011',
      '--usable',
      'yes',
      '--by',
      'lead',
      '--reason',
      'RAS data',
      '--data',
      dir,
    ],
    killAtWrite === undefined ? {} : { killAtWrite },
  );

/** The judgement on Kaplan 2011 and the latest analyses, as the next reader sees them. */
async function outcomeOf(dir: string) {
  const local = await startLocalStore({ dataDir: dir, lockStaleMs: 1_500 });
  try {
    const units = (await loadEvidence(review, local.store, systemClock)).units;
    const kaplan = units.find((unit) => unit.id === 'kaplan-2011');
    const latest = await local.store.latestAnalysisVersion();
    if (!latest) throw new Error(`no analysis version stored in ${dir}`);
    return { usable: kaplan?.dataJudgement?.usable, analyses: (latest.body as AnalysisBody).analyses };
  } finally {
    await local.close();
  }
}

describe('a study command killed at any store write', () => {
  it('is completed by running it again, ending as a run never killed', async () => {
    const base = tempDir();
    expect((await runChild(['extract', 'import', METAPSY, '--format', 'metapsy', '--data', base])).code).toBe(
      0,
    );
    const clean = copyOf(base);
    const run = await judge(clean);
    expect(run.code).toBe(0);
    const writes = run.writes ?? 0;
    expect(writes).toBeGreaterThan(2);
    const expected = await outcomeOf(clean);
    expect(expected.usable).toBe(true);
    const recovery = expected.analyses.find((a) => a.outcome === 'recovery' && a.analysis === 'main');
    expect(recovery?.studies.map((study) => study.study)).toContain('Kaplan 2011');

    // Before the included-data marker (the event is stored), half-way, and before the last write.
    for (const at of [2, Math.ceil(writes / 2), writes]) {
      const dir = copyOf(base);
      expect((await judge(dir, at)).signal, `killed before write ${at} of ${writes}`).toBe('SIGKILL');
      expect((await judge(dir)).code).toBe(0);
      expect(await outcomeOf(dir), `killed before write ${at} of ${writes}`).toEqual(expected);
    }
  }, 240_000);
});
