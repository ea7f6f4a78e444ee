/**
 * Writing the site: a narrow port (list/read/write/remove) with a local-folder adapter, and
 * `publishSite`, which writes only files whose bytes changed and removes hashed assets no page uses any more.
 * Order matters for readers mid-publish: assets first, the page last, stale assets removed after it.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '#shared/errors.ts';
import type { PageModel } from './model.ts';
import { buildSite, HASHED_ASSET } from './site.ts';

export interface SiteWriter {
  /** Every file's path relative to the site root, with '/' separators. */
  list(): Promise<string[]>;
  /** The file's bytes, or undefined when it does not exist. */
  read(path: string): Promise<Uint8Array | undefined>;
  write(path: string, bytes: Uint8Array): Promise<void>;
  remove(path: string): Promise<void>;
}

export interface PublishResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

const isPage = (path: string) => path.endsWith('.html');

export async function publishSite(model: PageModel, writer: SiteWriter): Promise<PublishResult> {
  const files = buildSite(model);
  const ordered = [
    ...files.filter((file) => !isPage(file.path)),
    ...files.filter((file) => isPage(file.path)),
  ];
  const result: PublishResult = { written: [], unchanged: [], removed: [] };
  for (const file of ordered) {
    const existing = await writer.read(file.path);
    if (existing && sameBytes(existing, file.bytes)) {
      result.unchanged.push(file.path);
    } else {
      await writer.write(file.path, file.bytes);
      result.written.push(file.path);
    }
  }
  const current = new Set(files.map((file) => file.path));
  for (const path of await writer.list()) {
    if (!current.has(path) && !path.includes('/') && HASHED_ASSET.test(path)) {
      await writer.remove(path);
      result.removed.push(path);
    }
  }
  return result;
}

/** A SiteWriter over a local folder. Writes go to a temporary file renamed into place, so no file is half-written. */
export function localFolderWriter(root: string): SiteWriter {
  const base = resolve(root);
  const inside = (path: string) => {
    const full = resolve(base, path);
    if (full !== base && !full.startsWith(base + sep))
      throw new InputError(`site path escapes the site folder: ${path}`);
    return full;
  };
  async function walk(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const nested = await Promise.all(
      entries.map((entry) => {
        const full = join(folder, entry.name);
        return entry.isDirectory() ? walk(full) : Promise.resolve([full]);
      }),
    );
    return nested.flat();
  }
  return {
    async list() {
      const paths = await walk(base);
      return paths.map((full) => relative(base, full).split(sep).join('/')).sort();
    },
    async read(path) {
      try {
        return new Uint8Array(await readFile(inside(path)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(path, bytes) {
      const full = inside(path);
      await mkdir(dirname(full), { recursive: true });
      const temporary = `${full}.tmp-${process.pid}`;
      await writeFile(temporary, bytes);
      await rename(temporary, full);
    },
    async remove(path) {
      await rm(inside(path), { force: true });
    },
  };
}
