import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '#test/support/cli.ts';
import { fixturePath, readFixture } from '#test/support/source-fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'living-review-sources-cli-'));

describe('living-review parse', () => {
  it('prints the records of an efetch file as one JSON document', async () => {
    const run = await runCli(['parse', 'pubmed', fixturePath('pubmed/pubmed-29768149.xml'), '--json']);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.deleted).toEqual([]);
    expect(body.records[0]).toMatchObject({
      id: 'pubmed:29768149',
      nctIds: ['NCT02149199'],
      doi: '10.1056/nejmoa1715274',
    });
  });

  it('prints a ClinicalTrials.gov search page', async () => {
    const run = await runCli(['parse', 'ctgov', fixturePath('ctgov/search_phelan_next_20260811.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ctgov:NCT05187377');
    expect(run.stdout).toContain('5 record(s)');
  });

  it('refuses a truncated file with exit 2, a message on stderr and nothing on stdout', async () => {
    const file = join(scratch, 'truncated.xml');
    const xml = readFixture('pubmed/pubmed5.xml');
    writeFileSync(file, xml.slice(0, Math.floor(xml.length * 0.6)));
    const run = await runCli(['parse', 'pubmed', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/truncated\.xml: truncated PubMed XML/);
  });

  it('refuses malformed JSON the same way', async () => {
    const file = join(scratch, 'broken.json');
    writeFileSync(file, '{"studies": [');
    const run = await runCli(['parse', 'ctgov', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('refuses an unknown format and a missing file', async () => {
    expect((await runCli(['parse', 'embase', fixturePath('pubmed/pubmed5.xml')])).code).toBe(2);
    const missing = await runCli(['parse', 'pubmed', join(scratch, 'nope.xml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('living-review search', () => {
  it('answers from the recordings with --offline, progress on stderr', async () => {
    const run = await runCli([
      'search',
      'pubmed',
      '--offline',
      '--since',
      '2026-01-01',
      '--until',
      '2026-02-01',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.window).toEqual({ from: '2026-01-01', until: '2026-02-01' });
    expect(body.records.map((record: { pmid: string }) => record.pmid)).toEqual([
      '28775130',
      '30108519',
      '29768149',
      '20301295',
    ]);
    expect(run.stderr).toMatch(/pubmed: \d+ request\(s\), 4 of 4 record\(s\)/);
  });

  it('reports a retried request on stderr and still prints the records', async () => {
    const cassette = JSON.parse(readFixture('recordings/offline.json'));
    const efetch = cassette.interactions[1];
    efetch.responses = [{ status: 503, headers: {}, body: 'Service Unavailable' }, ...efetch.responses];
    for (const interaction of cassette.interactions) {
      for (const response of interaction.responses) {
        if (response.bodyFile) response.bodyFile = fixturePath(`recordings/${response.bodyFile}`);
      }
    }
    const file = join(scratch, 'flaky.json');
    writeFileSync(file, JSON.stringify(cassette));
    const run = await runCli(['search', 'pubmed', '--offline', '--cassette', file, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/POST \/entrez\/eutils\/efetch.fcgi attempt 1 failed \(HTTP 503\); retrying/);
    expect(JSON.parse(run.stdout).records).toHaveLength(4);
  });

  it('refuses a date that is not YYYY-MM-DD and a window that ends before it starts', async () => {
    expect((await runCli(['search', 'pubmed', '--offline', '--since', '12/07/2019'])).code).toBe(2);
    const backwards = await runCli([
      'search',
      'ctgov',
      '--offline',
      '--since',
      '2026-02-01',
      '--until',
      '2026-01-01',
    ]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('starts after it ends');
  });

  it('asks for NCBI_EMAIL before searching PubMed online', async () => {
    const run = await runCli(['search', 'pubmed', '--since', '2026-01-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NCBI_EMAIL');
  });
});
