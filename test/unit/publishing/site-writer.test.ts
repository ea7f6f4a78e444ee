import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localFolderWriter, publishSite, type SiteWriter } from '#shared/publishing/site-writer.ts';
import { pageModelFixture } from '#test/support/page-model.ts';

/** Records every write and removal so tests can see what publishing touched. */
function memoryWriter(initial: Record<string, string> = {}) {
  const files = new Map<string, Uint8Array>(
    Object.entries(initial).map(([path, text]) => [path, new TextEncoder().encode(text)]),
  );
  const writes: string[] = [];
  const writer: SiteWriter = {
    list: async () => [...files.keys()].sort(),
    read: async (path) => files.get(path),
    write: async (path, bytes) => {
      writes.push(path);
      files.set(path, bytes);
    },
    remove: async (path) => {
      files.delete(path);
    },
  };
  return { writer, files, writes };
}

describe('publishing the site', () => {
  it('writes every file the first time', async () => {
    const { writer, files } = memoryWriter();
    const result = await publishSite(pageModelFixture(), writer);
    expect(result.unchanged).toEqual([]);
    expect(result.written).toContain('index.html');
    expect([...files.keys()].sort()).toEqual([...result.written].sort());
  });

  it('writes nothing when the model has not changed', async () => {
    const { writer, writes } = memoryWriter();
    await publishSite(pageModelFixture(), writer);
    writes.length = 0;
    const result = await publishSite(pageModelFixture(), writer);
    expect(writes).toEqual([]);
    expect(result.written).toEqual([]);
    expect(result.removed).toEqual([]);
  });

  it('rewrites only the files whose bytes changed', async () => {
    const { writer } = memoryWriter();
    const model = pageModelFixture();
    await publishSite(model, writer);
    const result = await publishSite(
      { ...model, downloads: { ...model.downloads, dataCsv: 'study\nnew\n' } },
      writer,
    );
    expect(result.written.sort()).toEqual(['data.csv', 'index.html']);
  });

  it('writes the page after the assets it links to', async () => {
    const { writer, writes } = memoryWriter();
    await publishSite(pageModelFixture(), writer);
    expect(writes.at(-1)).toBe('index.html');
  });

  it('removes stale hashed assets and leaves other files alone', async () => {
    const { writer, files } = memoryWriter({
      'style.0badc0de.css': 'old',
      CNAME: 'example.org',
      'notes/keep.txt': 'x',
    });
    const result = await publishSite(pageModelFixture(), writer);
    expect(result.removed).toEqual(['style.0badc0de.css']);
    expect(files.has('CNAME')).toBe(true);
    expect(files.has('notes/keep.txt')).toBe(true);
  });
});

describe('the local folder writer', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'living-review-site-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('publishes into a folder and leaves unchanged files untouched the second time', async () => {
    const writer = localFolderWriter(join(folder, 'site'));
    const first = await publishSite(pageModelFixture(), writer);
    const second = await publishSite(pageModelFixture(), writer);
    expect(second.written).toEqual([]);
    expect(second.unchanged.sort()).toEqual([...first.written].sort());
    expect((await writer.list()).sort()).toEqual([...first.written].sort());
    const html = await readFile(join(folder, 'site', 'index.html'), 'utf8');
    expect(html).toContain('<!DOCTYPE html>');
  });

  it('reads a missing file as undefined and lists nested files with forward slashes', async () => {
    const writer = localFolderWriter(folder);
    expect(await writer.read('absent.html')).toBeUndefined();
    await writer.write('a/b.txt', new TextEncoder().encode('x'));
    await writeFile(join(folder, 'c.txt'), 'y');
    expect(await writer.list()).toEqual(['a/b.txt', 'c.txt']);
  });

  it('refuses a path that escapes the site folder', async () => {
    const writer = localFolderWriter(folder);
    await expect(writer.write('../outside.txt', new Uint8Array())).rejects.toThrow(/escapes the site folder/);
  });
});
