/**
 * "Every multi-step write must survive being killed at any point": the real CLI is killed with SIGKILL just before
 * a seeded random store write, then run again (and maybe killed again) until it finishes; what it leaves must be
 * what a run that was never killed leaves: the same records, duplicates, links, dual flags and alert claims, and
 * the same digests, each sent once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from '#shared/sources/replay/server.ts';
import {
  type ChildRun,
  newRecordsTold,
  pollRecording,
  random,
  risExport,
  runChild,
  sentAlerts,
  storedState,
} from '#test/support/crash.ts';

// Sizes and seeds keep the file near a minute on a loaded 2-core machine; other kill points are a loop away.
const POLLED = 50;
const RIS_RECORDS = 150;
const OTHER_EXPORT = fileURLToPath(new URL('../fixtures/ris/zotero.ris', import.meta.url));

const made: string[] = [];
function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `living-review-crash-${name}-`));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  state: string[];
  alerts: string[];
}

async function outcomeOf(dataDir: string): Promise<Outcome> {
  return { state: await storedState(dataDir), alerts: sentAlerts(dataDir) };
}

/**
 * Runs the command killed before write `at`, then (with `again`) killed before that write of the next run, a crash
 * while completing what the first run left, then to the end. Returns the first run, which must have been killed.
 */
async function killedThenResumed(
  run: (killAtWrite?: number) => Promise<ChildRun>,
  at: number,
  again?: number,
): Promise<ChildRun> {
  const first = await run(at);
  if (again !== undefined) await run(again);
  const last = await run();
  expect(last.signal).toBeNull();
  expect(last.code).toBe(0);
  return first;
}

function expectSameOutcome(resumed: Outcome, clean: Outcome) {
  expect(resumed.state).toEqual(clean.state);
  // Each digest once: the union of what was sent equals the clean run's, and nothing was sent twice.
  expect(resumed.alerts).toEqual(clean.alerts);
  expect(new Set(resumed.alerts).size).toBe(resumed.alerts.length);
}

/** Every new record has one alert claim, and the digests announce exactly that many new records. */
function expectEveryNewRecordToldOnce(outcome: Outcome) {
  const claims = outcome.state.filter((item) => item.includes('"S":"ALERT#new#'));
  expect(claims.length).toBeGreaterThan(0);
  expect(newRecordsTold(outcome.alerts)).toBe(claims.length);
}

describe('a cycle killed at random store writes on a replayed multi-page poll', () => {
  let server: ReplayServer;
  let clean: Outcome;
  let writes: number;
  beforeAll(async () => {
    server = await startReplayServer(pollRecording(POLLED));
    const dir = tempDir('cycle-clean');
    const run = await cycle(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`pubmed: ${POLLED} fetched`));
    expect(run.stdout).toMatch(/ctgov: \d+ fetched/);
    expect(run.stdout).toMatch(/pubmed: WARNING: PubMed counts/);
    writes = run.writes ?? 0;
    clean = await outcomeOf(join(dir, 'data'));
  });
  afterAll(async () => {
    await server?.close();
  });

  function cycle(dir: string, killAtWrite?: number) {
    return runChild(['cycle', '--data', join(dir, 'data'), '--site', join(dir, 'site')], {
      env: {
        PUBMED_BASE_URL: `${server.baseUrl}/entrez/eutils`,
        CTGOV_BASE_URL: `${server.baseUrl}/api/v2`,
        NCBI_EMAIL: 'tests@example.org',
        NCBI_API_KEY: 'crashtest',
      },
      ...(killAtWrite === undefined ? {} : { killAtWrite }),
    });
  }

  it('alerts every new record of the clean run once, and the PubMed shortfall', () => {
    expectEveryNewRecordToldOnce(clean);
    // The seeding's digest of the outcome data's unassessed studies, one digest per source, the shortfall alert.
    expect(clean.alerts).toHaveLength(4);
    expect(clean.alerts.filter((alert) => alert.includes('data:'))).toHaveLength(1);
    expect(clean.alerts.filter((alert) => alert.includes('records counted but not returned'))).toHaveLength(
      1,
    );
  });

  for (const seed of [11, 12]) {
    it(`ends as a run never killed (seed ${seed})`, async () => {
      const next = random(seed);
      const dir = tempDir(`cycle-${seed}`);
      const at = 1 + Math.floor(next() * writes);
      const first = await killedThenResumed((killAtWrite) => cycle(dir, killAtWrite), at);
      expect(first.signal, `killed before write ${at} of ${writes}`).toBe('SIGKILL');
      const resumed = await outcomeOf(join(dir, 'data'));
      expectSameOutcome(resumed, clean);
    });
  }
});

describe('a RIS import killed at random store writes', () => {
  let file: string;
  let clean: Outcome;
  let writes: number;
  const importRis = (dir: string, killAtWrite?: number) =>
    runChild(['import', 'ris', file, '--alert', '--data', dir], {
      ...(killAtWrite === undefined ? {} : { killAtWrite }),
    });
  beforeAll(async () => {
    file = join(tempDir('ris'), 'export.ris');
    writeFileSync(file, risExport(RIS_RECORDS));
    const dir = tempDir('ris-clean');
    const run = await importRis(dir);
    expect(run.code).toBe(0);
    writes = run.writes ?? 0;
    clean = await outcomeOf(dir);
  });

  it('stores new records, duplicates, links, a dual sample and one digest on a clean run', () => {
    const count = (pattern: string) => clean.state.filter((item) => item.includes(pattern)).length;
    expect(count('"dual":{"BOOL":true}')).toBe(Math.ceil(0.1 * count('"S":"ALERT#new#')));
    expect(count('"gsi1pk":{"S":"KIND#trial-link"}')).toBeGreaterThan(0);
    expect(count('matchedKey')).toBeGreaterThan(0);
    expect(count('"S":"ALERT#retraction#')).toBe(1);
    expect(clean.alerts).toHaveLength(1);
    expectEveryNewRecordToldOnce(clean);
  });

  it('ends as an import never killed, killed again while completing what the first run left (seed 21)', async () => {
    const next = random(21);
    const dir = tempDir('ris-21');
    const at = 1 + Math.floor(next() * writes);
    const first = await killedThenResumed(
      (killAtWrite) => importRis(dir, killAtWrite),
      at,
      1 + Math.floor(next() * writes),
    );
    expect(first.signal, `killed before write ${at} of ${writes}`).toBe('SIGKILL');
    expectSameOutcome(await outcomeOf(dir), clean);
  });

  it('is completed by the next command even when that command imports something else (seed 23)', async () => {
    const next = random(23);
    const dir = tempDir('ris-23');
    const at = 1 + Math.floor(next() * writes);
    const killed = await importRis(dir, at);
    expect(killed.signal, `killed before write ${at} of ${writes}`).toBe('SIGKILL');
    const other = await runChild(['import', 'ris', OTHER_EXPORT, '--alert', '--data', dir]);
    expect(other.code).toBe(0);

    const { state, alerts } = await outcomeOf(dir);
    // Nothing is left half done: no open batch, no journal entry.
    expect(state.filter((item) => item.includes('KIND#batch-open') || item.includes('"S":"ENTRY#'))).toEqual(
      [],
    );
    const copies = state.flatMap((item) => {
      const attributes = JSON.parse(item) as Record<string, { S?: string }>;
      return attributes.sk?.S === 'COPY' ? [JSON.parse(attributes.data?.S ?? '') as CopyData] : [];
    });
    expect(copies.length).toBeGreaterThan(0);
    const has = (pattern: string) => state.some((item) => item.includes(pattern));
    for (const copy of copies) {
      // Every stored record reached its alert claim (survivors) and its trial links.
      if (copy.canonicalId === copy.id) expect(has(`"S":"ALERT#new#${copy.id}"`), copy.id).toBe(true);
      for (const nctId of copy.record.nctIds)
        expect(has(`LINK#record:${copy.canonicalId}"`), nctId).toBe(true);
    }
    expectEveryNewRecordToldOnce({ state, alerts });
    // Each batch flagged the first tenth of its new records (rounded up) for dual screening.
    const dual = state.filter((item) => item.includes('"dual":{"BOOL":true}')).length;
    const perDigest = alerts.map((alert) => Number(/^## (\d+) new record\(s\)$/m.exec(alert)?.[1] ?? 0));
    expect(dual).toBe(perDigest.reduce((sum, count) => sum + Math.ceil(0.1 * count), 0));
  });
});

interface CopyData {
  id: string;
  canonicalId: string;
  record: { nctIds: string[] };
}
