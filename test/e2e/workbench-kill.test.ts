/**
 * The workbench's save of an included study's outcome data is a multi-step write: the import (staged parts, then
 * the pointer), the included-data marker, a new analysis version and its alert, the page. The workbench process is
 * killed with SIGKILL before a random one of those writes while it saves; the next command (publish, which
 * re-analyses first) must leave the store, the analysis and the page as a save never killed does.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { random, runChild, startChild, storedState } from '#test/support/crash.ts';

const made: string[] = [];
function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `living-review-workbench-kill-${name}-`));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store where the demo's trial (ctgov:NCT99000001) is included at full text and has no data yet. */
let prepared: string;
let studyId: string;

const args = (dir: string, verb: string) => [verb, '--data', join(dir, 'data'), '--site', join(dir, 'site')];

beforeAll(async () => {
  prepared = tempDir('prepared');
  expect((await runChild(['cycle', '--offline', ...args(prepared, 'cycle').slice(1)])).code).toBe(0);
  for (const stage of ['title-abstract', 'full-text']) {
    for (const reviewer of ['ana', 'ben']) {
      const run = await runChild([
        ...['screen', 'ctgov:NCT99000001', '--reviewer', reviewer, '--decision', 'include', '--stage', stage],
        ...['--data', join(prepared, 'data')],
      ]);
      expect(run.code, run.stderr).toBe(0);
    }
  }
  const list = await runChild(['study', 'list', '--json', '--data', join(prepared, 'data')]);
  const units = JSON.parse(list.stdout) as { id: string; status: string; reports: string[] }[];
  const unit = units.find((candidate) => candidate.reports.includes('ctgov:NCT99000001'));
  expect(unit?.status).toBe('included');
  studyId = unit?.id ?? '';
}, 180_000);

/** Signs in and saves the study's data through the workbench's form, as a browser would. */
async function save(url: string): Promise<number> {
  const jar = new Map<string, string>();
  const call = async (path: string, body?: Record<string, string>) => {
    const response = await fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body: new URLSearchParams(body).toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      jar.set(name, value);
    }
    return { status: response.status, text: await response.text() };
  };
  const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const signin = await call('/signin');
  await call('/signin', { _csrf: csrf(signin.text), name: 'ana', role: 'reviewer' });
  const form = await call(`/studies/${studyId}/extraction`);
  const row = (i: number, arm: string, role: string, control: string, mean: string) => ({
    [`row-${i}-outcome`]: 'recovery',
    [`row-${i}-timepoint`]: 'post',
    [`row-${i}-instrument`]: 'QPR',
    [`row-${i}-arm`]: arm,
    [`row-${i}-role`]: role,
    [`row-${i}-control_type`]: control,
    [`row-${i}-mean`]: mean,
    [`row-${i}-sd`]: '16',
    [`row-${i}-n`]: '60',
  });
  const saved = await call(`/studies/${studyId}/extraction`, {
    _csrf: csrf(form.text),
    'study-format': 'group',
    ...row(0, 'Peer group', 'intervention', '', '60.5'),
    ...row(1, 'Usual care', 'control', 'tau', '54'),
  }).catch(() => ({ status: 0, text: '' }));
  return saved.status;
}

/** The workbench on a copy of the prepared store, saving once; killed before write `at`, or stopped after. */
async function workbenchSave(dir: string, killAtWrite?: number) {
  const running = startChild([...args(dir, 'workbench'), '--port', '0'], killAtWrite ? { killAtWrite } : {});
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(running.stdout())?.[1];
      if (found) {
        clearInterval(timer);
        resolve(found);
      }
    }, 50);
    running.done.then(() => {
      clearInterval(timer);
      reject(new Error('the workbench ended before it listened'));
    });
  });
  const status = await save(url);
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGINT');
  return { status, run: await running.done };
}

async function outcomeOf(dir: string) {
  const publish = await runChild(args(dir, 'publish'));
  expect(publish.code, publish.stderr).toBe(0);
  return {
    state: await storedState(join(dir, 'data')),
    analyses: JSON.parse(readFileSync(join(dir, 'site', 'analysis.json'), 'utf8')).analyses,
  };
}

describe('the workbench killed while it saves outcome data', () => {
  let clean: Awaited<ReturnType<typeof outcomeOf>>;
  let writes = 0;
  beforeAll(async () => {
    const dir = tempDir('clean');
    cpSync(prepared, dir, { recursive: true });
    const { status, run } = await workbenchSave(dir);
    expect(status).toBe(200);
    writes = run.writes ?? 0;
    clean = await outcomeOf(dir);
  }, 120_000);

  it('makes several writes, and its save reaches the analysis', () => {
    expect(writes).toBeGreaterThan(3);
    const recovery = clean.analyses.find(
      (entry: { outcome: string; timepoint: string; analysis: string }) =>
        entry.outcome === 'recovery' && entry.timepoint === 'post' && entry.analysis === 'main',
    );
    expect(recovery.studies.map((study: { studyId: string }) => study.studyId)).toContain(studyId);
  });

  // Seeds picked to kill early (before the data are stored: the team saves again), midway and late.
  for (const seed of [51, 55, 41]) {
    it(`ends, after the next command, as a save never killed (seed ${seed})`, async () => {
      const at = 1 + Math.floor(random(seed)() * writes);
      const dir = tempDir(`seed-${seed}`);
      cpSync(prepared, dir, { recursive: true });
      const { run } = await workbenchSave(dir, at);
      expect(run.signal, `killed before write ${at} of ${writes}`).toBe('SIGKILL');
      const outcome = await outcomeOf(dir);
      // The save itself is the team's to repeat when it was killed before its data were stored.
      if (
        !outcome.analyses.some((entry: { studies: { studyId: string }[] }) =>
          entry.studies.some((s) => s.studyId === studyId),
        )
      ) {
        const again = await workbenchSave(dir);
        expect(again.status).toBe(200);
        const repeated = await outcomeOf(dir);
        expect(repeated.analyses).toEqual(clean.analyses);
        expect(repeated.state).toEqual(clean.state);
        return;
      }
      expect(outcome.analyses).toEqual(clean.analyses);
      expect(outcome.state).toEqual(clean.state);
    }, 120_000);
  }
});
