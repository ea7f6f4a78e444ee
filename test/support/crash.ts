/**
 * Crash-test helpers: the real CLI in a child process, killed with SIGKILL just before a chosen store write
 * (LIVING_REVIEW_TEST_KILL_AT_WRITE, see shared/store/local.ts), and what a data directory holds afterwards.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Interaction } from '#shared/sources/replay/cassette.ts';
import { ctgovQuery, pubmedTerm } from '#shared/sources/search-config.ts';
import { nextWindow } from '#shared/sources/window.ts';
import { startLocalStore } from '#shared/store/local.ts';
import { groupPeerSupportReview, groupPeerSupportSearch } from '#test/support/group-peer-support.ts';
import { efetchSetParts } from './efetch-set.ts';
import { readFixture } from './source-fixtures.ts';
import { dumpTable } from './store.ts';

const CLI = fileURLToPath(new URL('../../bin/living-review.js', import.meta.url));

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Store writes the run made (reported when it was not killed). */
  writes: number | undefined;
}

export interface RunningChild {
  child: ChildProcessWithoutNullStreams;
  /** What it printed so far. */
  stdout(): string;
  /** Settles when the process ends. */
  done: Promise<ChildRun>;
}

/**
 * Starts `living-review ...args`; with killAtWrite the process kills itself just before that store write. A
 * variable set to undefined in `env` is removed from the child's environment; `cwd` defaults to this process's.
 */
export function startChild(
  args: string[],
  options: { env?: Record<string, string | undefined>; killAtWrite?: number; cwd?: string } = {},
): RunningChild {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  // Every run reports its writes; a run aimed beyond its last write is not killed.
  env.LIVING_REVIEW_TEST_KILL_AT_WRITE = String(options.killAtWrite ?? Number.MAX_SAFE_INTEGER);
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const reported = /store writes: (\d+)/.exec(stderr)?.[1];
      resolve({
        code,
        signal,
        stdout,
        stderr,
        writes: reported === undefined ? undefined : Number(reported),
      });
    });
  });
  return { child, stdout: () => stdout, done };
}

/** Runs `living-review ...args` to its end (see startChild). */
export function runChild(
  args: string[],
  options: { env?: Record<string, string | undefined>; killAtWrite?: number; cwd?: string } = {},
): Promise<ChildRun> {
  return startChild(args, options).done;
}

/** Everything stored under a data directory, times blanked and the publish log left out, sorted. */
export async function storedState(dataDir: string): Promise<string[]> {
  const local = await startLocalStore({ dataDir });
  try {
    return (await dumpTable(local))
      .filter((item) => !item.includes('"PUBLISH"'))
      .map((item) => item.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>'))
      .sort();
  } finally {
    await local.close();
  }
}

/** Every alert appended to DIR/alerts/*.md, one string per alert (a digest starts with its id marker), sorted. */
export function sentAlerts(dataDir: string): string[] {
  const dir = join(dataDir, 'alerts');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((file) => readFileSync(join(dir, file), 'utf8').split(/(?=^<!-- living-review alert )/m))
    .filter((alert) => alert.trim() !== '')
    .sort();
}

/** How many new records the digests among the alerts announce in all. */
export function newRecordsTold(alerts: string[]): number {
  return alerts.reduce((sum, alert) => sum + Number(/^## (\d+) new record\(s\)$/m.exec(alert)?.[1] ?? 0), 0);
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PUBMED = '/entrez/eutils';
const CTGOV = '/api/v2';
const xml = (body: string) => ({ status: 200, headers: { 'content-type': 'text/xml; charset=UTF-8' }, body });
const json = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body });

/**
 * PubMed records for a poll: real records with distinct PMIDs, made distinct studies (own title and DOI) except
 * every `duplicateEvery`-th, which stays a copy of the real record and so folds into the first of them.
 */
function pubmedPage(count: number, duplicateEvery: number): string {
  const documents = ['pubmed5.xml', 'pubmed6.xml', 'pubmed-29768149.xml'].map((file) =>
    readFixture(`pubmed/${file}`),
  );
  let index = -1;
  return [...efetchSetParts(documents, count)]
    .map((part) => {
      if (!part.includes('<PMID')) return part;
      index += 1;
      if (index % duplicateEvery === 0) return part;
      return part
        .replace(/<ArticleTitle>/, `<ArticleTitle>Report ${index} of `)
        .replaceAll(
          /<ArticleId IdType="doi">[^<]*<\/ArticleId>/g,
          `<ArticleId IdType="doi">10.5555/poll.${index}</ArticleId>`,
        )
        .replaceAll(/<ELocationID EIdType="doi"[^>]*>[^<]*<\/ELocationID>/g, '');
    })
    .join('');
}

/**
 * A poll of both sources, answered whatever the window: PubMed with `count` records on one efetch page,
 * ClinicalTrials.gov with its two real search pages chained by their own tokens, then an empty last page. For the
 * first window (the review's last search date to today) PubMed counts one record more than it returns, so the team
 * gets a shortfall alert; a later window (after a killed run moved the watermark) counts what it returns.
 */
export function pollRecording(count: number): Interaction[] {
  const esearch = (counted: number) =>
    readFixture('eutils/esearch.pubmed.xml')
      .replace(/<Count>\d+<\/Count><RetMax>\d+<\/RetMax>/, `<Count>${counted}</Count><RetMax>0</RetMax>`)
      .replace(/<WebEnv>[^<]*<\/WebEnv>/, '<WebEnv>NCID_crash</WebEnv>')
      .replace(/<IdList>[\s\S]*?<\/IdList>/, '<IdList></IdList>');
  const { search } = groupPeerSupportReview;
  const firstWindow = nextWindow({
    firstSearchDate: search.lastSearchDate,
    overlapDays: search.overlapDays,
    now: new Date(),
  });
  const any = (names: string[]) => Object.fromEntries(names.map((name) => [name, '*']));
  const first = readFixture('ctgov/search_phelan_limit5_20260811.json');
  const second = readFixture('ctgov/search_phelan_next_20260811.json');
  const token = (page: string) => (JSON.parse(page) as { nextPageToken: string }).nextPageToken;
  const ctgovParams = any([
    'format',
    'countTotal',
    'pageSize',
    ...Object.keys(ctgovQuery(groupPeerSupportSearch, { from: '', until: '' })),
  ]);
  const ctgovPage = (extra: Record<string, string>, body: string): Interaction => ({
    request: { method: 'GET', path: `${CTGOV}/studies`, params: { ...ctgovParams, ...extra } },
    responses: [json(body)],
  });
  return [
    {
      request: {
        method: 'POST',
        path: `${PUBMED}/esearch.fcgi`,
        params: { ...any(['db', 'usehistory', 'retmax']), term: pubmedTerm(search, firstWindow) },
      },
      responses: [xml(esearch(count + 1))],
    },
    {
      request: {
        method: 'POST',
        path: `${PUBMED}/esearch.fcgi`,
        params: any(['db', 'term', 'usehistory', 'retmax']),
      },
      responses: [xml(esearch(count))],
    },
    {
      request: {
        method: 'POST',
        path: `${PUBMED}/efetch.fcgi`,
        params: { ...any(['db', 'query_key', 'retmax', 'retmode']), WebEnv: 'NCID_crash', retstart: '0' },
      },
      responses: [xml(pubmedPage(count, 10))],
    },
    ctgovPage({}, first),
    ctgovPage({ pageToken: token(first) }, second),
    ctgovPage({ pageToken: token(second) }, '{"studies":[]}'),
  ];
}

/**
 * A RIS export of `count` records as a database would give it: every 12th a second copy (same DOI, other
 * abstract) of the record five before it, every 20th naming a registration, and one retracted.
 */
export function risExport(count: number): string {
  const entries: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const copyOf = index % 12 === 11 ? index - 5 : index;
    const lines = [
      'TY  - JOUR',
      `TI  - ${index === 30 ? 'RETRACTED: ' : ''}Peer support groups for adults with serious mental illness: trial ${copyOf}`,
      `AU  - Author${copyOf % 37}, Ana`,
      `PY  - ${2015 + (copyOf % 8)}`,
      `DO  - 10.5555/crash.${copyOf}`,
      `AB  - A randomised trial of peer support groups (${copyOf === index ? 'journal version' : 'conference copy'}).`,
      ...(index % 20 === 0
        ? [`N1  - Trial registration: NCT${String(99_100_000 + index).padStart(8, '0')}`]
        : []),
      'ER  - ',
    ];
    entries.push(lines.join('\n'));
  }
  return `${entries.join('\n\n')}\n`;
}
