import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '#shared/publishing/downloads.ts';
import type { PageModel } from '#shared/publishing/model.ts';
import { buildSite, HASHED_ASSET } from '#shared/publishing/site.ts';
import { pageModelFixture } from '#test/support/page-model.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function fileOf(files: ReturnType<typeof buildSite>, path: string) {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${path} not built`);
  return file;
}

describe('site assembly', () => {
  it('gives byte-identical files for the same model', () => {
    const first = buildSite(pageModelFixture());
    const second = buildSite(pageModelFixture());
    expect(second.map((file) => file.path)).toEqual(first.map((file) => file.path));
    second.forEach((file, index) => {
      expect(Buffer.compare(file.bytes, first[index]?.bytes ?? new Uint8Array())).toBe(0);
    });
  });

  it('names the stylesheet by its content hash and links the page to it', () => {
    const files = buildSite(pageModelFixture());
    const stylesheet = files.find((file) => file.path.endsWith('.css'));
    expect(stylesheet?.path).toMatch(HASHED_ASSET);
    expect(stylesheet?.path).toBe(
      `style.${sha256Hex(stylesheet?.bytes ?? new Uint8Array()).slice(0, 8)}.css`,
    );
    expect(text(fileOf(files, 'index.html').bytes)).toContain(
      `<link rel="stylesheet" href="${stylesheet?.path}">`,
    );
  });

  it('publishes the downloads byte for byte with their checksums on the page', () => {
    const model = pageModelFixture();
    const files = buildSite(model);
    const analysis = fileOf(files, 'analysis.json');
    expect(text(analysis.bytes)).toBe(model.downloads.analysisJson);
    expect(text(fileOf(files, 'data.csv').bytes)).toBe(model.downloads.dataCsv);
    expect(text(fileOf(files, 'index.html').bytes)).toContain(sha256Hex(analysis.bytes));
  });

  it('changes the page when the model changes, and only the files that depend on it', () => {
    const model = pageModelFixture();
    const before = buildSite(model);
    const after = buildSite({ ...model, lastChecked: '2026-11-21T05:40:00Z' });
    expect(text(fileOf(after, 'index.html').bytes)).not.toBe(text(fileOf(before, 'index.html').bytes));
    expect(text(fileOf(after, 'feed.xml').bytes)).toBe(text(fileOf(before, 'feed.xml').bytes));
  });

  it('has no script anywhere on the page', () => {
    const html = text(fileOf(buildSite(pageModelFixture()), 'index.html').bytes);
    expect(html).not.toMatch(/<script/i);
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((tag) => /\son[a-z]+\s*=/i.test(tag))).toEqual([]);
  });

  it('forbids scripts and outside resources with a content security policy', () => {
    const html = text(fileOf(buildSite(pageModelFixture()), 'index.html').bytes);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:;`,
    );
  });

  it('gives every table a caption and scoped header cells', () => {
    const html = text(fileOf(buildSite(pageModelFixture()), 'index.html').bytes);
    const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(5);
    for (const table of tables) {
      expect(table).toMatch(/<caption>/);
      expect(table.match(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/g)).toBeNull();
    }
  });
});

describe('a review with nothing analysed yet', () => {
  const empty: PageModel = {
    ...pageModelFixture(),
    findings: [],
    forestPlots: [],
    narratives: [],
    alternativeAnalyses: [],
    subgroups: [],
    includedStudies: [],
    excludedStudies: [],
    riskOfBias: { studies: [], results: [] },
    history: [],
    prisma: { ...pageModelFixture().prisma, updates: [] },
  };

  it('still publishes a page, a well-formed feed and a PRISMA diagram with zero updates', () => {
    const files = buildSite(empty);
    const html = text(fileOf(files, 'index.html').bytes);
    expect(html).toContain('No outcome has enough trials with data to pool yet.');
    expect(html.replaceAll('\u00a0', ' ')).toContain('Total studies included in review (n = 8)');
    expect(XMLValidator.validate(text(fileOf(files, 'feed.xml').bytes))).toBe(true);
    expect(html).not.toContain('NaN');
  });
});
