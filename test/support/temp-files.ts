import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `content` to a new file in a fresh temporary folder and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'living-review-')), name);
  writeFileSync(path, content);
  return path;
}
