/**
 * One record that cannot be stored must not stop an import half-way on every run. dynalite enforces DynamoDB's
 * key limits (2048-byte partition key), so these run against it through the CLI, as a reviewer would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStore } from '#shared/store/local.ts';
import { runCli } from '#test/support/cli.ts';
import { dumpTable } from '#test/support/store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'living-review-poison-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli([...args, '--data', dir]);

async function tableDump() {
  const local = await startLocalStore({ dataDir: dir });
  try {
    return await dumpTable(local);
  } finally {
    await local.close();
  }
}

function risFile(name: string, records: { title: string; journal: string; abstract?: string }[]): string {
  const text = records
    .map(
      (record) =>
        `TY  - JOUR\nTI  - ${record.title}\nAU  - Okafor, Adaeze\nPY  - 2024\nJO  - ${record.journal}\n` +
        `${record.abstract === undefined ? '' : `AB  - ${record.abstract}\n`}ER  - \n`,
    )
    .join('\n');
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A title of about 5 KB, as a garbage export writes when it pastes a whole abstract into TI. */
const longTitle = (variant: string) =>
  `${Array.from({ length: 700 }, (_, index) => `word${index}`).join(' ')} ${variant}`;

describe('importing a record whose title is longer than a DynamoDB key can be', () => {
  const records = [
    { title: 'Peer support groups for recovery in psychosis', journal: 'Journal A' },
    { title: longTitle('ending one'), journal: 'Journal B' },
    { title: 'Mutual help groups for people who hear voices', journal: 'Journal C' },
  ];

  it('stores all three records, and importing the file again changes nothing', async () => {
    const file = risFile('three.ris', records);
    const first = await cli('import', 'ris', file);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('3 record(s) read');
    expect(first.stdout).toContain('3 new');
    const before = await tableDump();
    const again = await cli('import', 'ris', file);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 new, 0 duplicate, 0 linked, 3 already stored');
    expect(await tableDump()).toEqual(before);
  });

  it('still folds another copy of the long title into it, and keeps a different long title apart', async () => {
    await cli('import', 'ris', risFile('three.ris', records));
    const sameTitle = { title: longTitle('ending one'), journal: 'Another journal' };
    const otherTitle = { title: longTitle('ending two'), journal: 'Journal B' };
    const run = await cli('import', 'ris', risFile('more.ris', [sameTitle, otherTitle]), '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.duplicates).toHaveLength(1);
    expect(result.duplicates[0].matchedKey.kind).toBe('title');
    expect(result.new).toHaveLength(1);
    expect(result.new[0].title).toBe(otherTitle.title);
  });
});

describe('importing a record too large for one DynamoDB item', () => {
  it('refuses the file, naming the record, and stores nothing', async () => {
    const file = risFile('huge.ris', [
      { title: 'Peer support groups for recovery in psychosis', journal: 'Journal A' },
      {
        title: 'Mutual help groups for people who hear voices',
        journal: 'Journal C',
        abstract: 'x'.repeat(500_000),
      },
    ]);
    const before = await tableDump();
    const run = await cli('import', 'ris', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/huge\.ris: RIS record starting at line 8 cannot be stored: it is 50\d kB/);
    expect(await tableDump()).toEqual(before);
  });
});

describe('screening a record id that no parser makes', () => {
  it('exits 2 with a short message, for an over-long id and a malformed one', async () => {
    for (const id of [`pubmed:${'1'.repeat(5_000)}`, 'ris:not-a-hash']) {
      const run = await cli('screen', id, '--reviewer', 'ana', '--decision', 'include');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/is not a record id/);
      expect(run.stderr.length).toBeLessThan(300);
    }
  });
});
