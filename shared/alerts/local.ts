import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from './digest.ts';
import type { Notifier } from './notifier.ts';

/** Prints each digest and appends it to <dir>/<date>.md (a second digest the same day goes below the first). */
export function localNotifier(
  dir: string,
  print: (text: string) => void,
): Notifier & { fileFor(date: string): string } {
  const fileFor = (date: string) => join(dir, `${date}.md`);
  return {
    fileFor,
    async send(digest: Digest, markdown: string) {
      mkdirSync(dir, { recursive: true });
      appendFileSync(fileFor(digest.date), markdown);
      print(markdown);
    },
  };
}
