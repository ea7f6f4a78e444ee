import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRis } from '#shared/sources/ris/parse.ts';
import { startLocalStore } from '#shared/store/local.ts';
import { runCli } from '#test/support/cli.ts';
import { dumpTable } from '#test/support/store.ts';

const fixture = (name: string) => new URL(`../../fixtures/ris/${name}`, import.meta.url).pathname;
const [okafor, , muller] = parseRis(readFileSync(fixture('psycinfo.ris'), 'utf8'));
const embaseCopy = parseRis(readFileSync(fixture('embase.ris'), 'utf8'))[0];

let dir: string;
const cli = (...args: string[]) => runCli([...args, '--data', dir]);

async function tableDump() {
  const local = await startLocalStore({ dataDir: dir });
  try {
    return await dumpTable(local);
  } finally {
    await local.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'living-review-cli-'));
  for (const name of ['psycinfo.ris', 'embase.ris']) {
    const run = await cli('import', 'ris', fixture(name));
    expect(run).toMatchObject({ code: 0, stderr: '' });
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the store-backed CLI verbs', () => {
  it('prints what an import found new, duplicate and linked', async () => {
    // CENTRAL's copy of the asthma trial meets PsycInfo's copy on title, year and first author.
    const run = await cli('import', 'ris', fixture('central.ris'), '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      new: [],
      duplicates: [expect.objectContaining({ matchedKey: expect.objectContaining({ kind: 'title' }) })],
      linked: [],
    });
  });

  it('keeps the store as it was when a file is imported again', async () => {
    const before = await tableDump();
    const run = await cli('import', 'ris', fixture('psycinfo.ris'));
    expect(run.stdout).toContain('0 new, 0 duplicate, 0 linked, 3 already stored');
    expect(await tableDump()).toEqual(before);
  });

  it('reports status as one JSON document with the agreed fields', async () => {
    const run = await cli('status', '--json');
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({
      records: 4,
      duplicates: 2,
      queue: { pending: 4, conflicts: 0 },
      included: 0,
      sources: { pubmed: { lastSuccess: null }, ctgov: { lastSuccess: null } },
    });
    expect(status.prisma.identified).toEqual({ total: 6, pubmed: 0, ctgov: 0, ris: 6, data: 0 });
  });

  it('lists the queue with ids, title, year, source and why', async () => {
    const run = await cli('queue', '--json');
    const queue = JSON.parse(run.stdout) as { id: string; why: string }[];
    expect(queue[0]).toMatchObject({ id: okafor?.id, title: okafor?.title, year: 2021, source: 'ris' });
    expect(queue[0]?.why).toContain('dual-screening sample');
  });

  it('records a decision', async () => {
    const run = await cli('screen', muller?.id ?? '', '--reviewer', 'ana', '--decision', 'exclude');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('ana: exclude');
  });

  const refusals: [string, string[], RegExp][] = [
    [
      'an unknown id',
      ['screen', 'pubmed:404', '--reviewer', 'ana', '--decision', 'include'],
      /no record with id/,
    ],
    [
      'an unknown reason',
      ['screen', muller?.id ?? '', '--reviewer', 'ben', '--decision', 'exclude', '--reason', 'boring'],
      /unknown exclusion reason 'boring'/,
    ],
    [
      'a second decision by the same reviewer without --revise',
      ['screen', muller?.id ?? '', '--reviewer', 'ana', '--decision', 'include'],
      /already decided .* use --revise/,
    ],
    [
      'a revision with nothing to revise',
      ['screen', okafor?.id ?? '', '--reviewer', 'ana', '--decision', 'include', '--revise'],
      /no decision .* to revise/,
    ],
    [
      'a full-text decision before title/abstract is settled',
      ['screen', okafor?.id ?? '', '--reviewer', 'ana', '--decision', 'include', '--stage', 'full-text'],
      /not been settled at title\/abstract/,
    ],
    [
      'a decision on a duplicate copy',
      ['screen', embaseCopy?.id ?? '', '--reviewer', 'ana', '--decision', 'include'],
      /is a duplicate of/,
    ],
    [
      'an unknown decision',
      ['screen', okafor?.id ?? '', '--reviewer', 'ana', '--decision', 'perhaps'],
      /--decision/,
    ],
    ['a missing reviewer', ['screen', okafor?.id ?? '', '--decision', 'include'], /--reviewer is required/],
  ];

  it.each(refusals)(
    'refuses %s with exit 2, a clear message and the store unchanged',
    async (_, args, message) => {
      const before = await tableDump();
      const run = await cli(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      expect(await tableDump()).toEqual(before);
    },
  );

  it('refuses a broken file, naming it, and stores nothing', async () => {
    const broken = join(dir, 'broken.ris');
    writeFileSync(
      broken,
      'TY  - JOUR\nTI  - A complete record title\nER  - \nTY  - JOUR\nAU  - Smith, J\nER  - \n',
    );
    const before = await tableDump();
    const run = await cli('import', 'ris', broken);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('broken.ris');
    expect(await tableDump()).toEqual(before);
  });

  it('runs two imports of the same file started at once one after the other, leaving no duplicate', async () => {
    const other = mkdtempSync(join(tmpdir(), 'living-review-cli-'));
    try {
      const imports = [0, 1].map(() => runCli(['import', 'ris', fixture('zotero.ris'), '--data', other]));
      const runs = await Promise.all(imports);
      expect(runs.map((run) => run.code)).toEqual([0, 0]);
      const status = JSON.parse((await runCli(['status', '--json', '--data', other])).stdout);
      expect(status).toMatchObject({ records: 2, duplicates: 0 });
      expect(runs.some((run) => run.stderr.includes('waiting for another living-review run'))).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('prints a title carrying OSC 52 and CSI sequences without them, and keeps them exact in --json', async () => {
    const other = mkdtempSync(join(tmpdir(), 'living-review-cli-'));
    const hostileTitle =
      'Peer support\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007 groups\u001b[2K\u001b[1A\u009b31m for psychosis';
    const file = join(other, 'hostile.ris');
    writeFileSync(file, `TY  - JOUR\nTI  - ${hostileTitle}\nAU  - Evil, E\u001b[8m\nPY  - 2024\nER  - \n`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the test
    const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    try {
      const imported = await runCli(['import', 'ris', file, '--data', other]);
      const queue = await runCli(['queue', '--data', other]);
      const json = await runCli(['queue', '--json', '--data', other]);
      for (const run of [imported, queue, json]) {
        expect(run.code).toBe(0);
        expect(run.stdout).not.toMatch(rawControl);
        expect(run.stderr).not.toMatch(rawControl);
      }
      expect(imported.stdout).toContain('Peer support groups for psychosis');
      expect(queue.stdout).toContain('Peer support groups for psychosis');
      expect(JSON.parse(json.stdout)[0].title).toBe(hostileTitle);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('exports the unique records as CSV and RIS', async () => {
    const csv = await cli('export', '--format', 'csv');
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,title,authors,year/);
    expect(lines).toHaveLength(5);
    const risText = await cli('export', '--format', 'ris');
    expect(parseRis(risText.stdout)).toHaveLength(4);
  });
});
