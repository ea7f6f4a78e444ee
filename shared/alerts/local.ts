import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Notifier, TeamAlert } from './notifier.ts';

/** Prints each alert and appends it to <dir>/<date>.md (a second alert the same day goes below the first). */
export function localNotifier(
  dir: string,
  print: (text: string) => void,
): Notifier & { fileFor(date: string): string } {
  const fileFor = (date: string) => join(dir, `${date}.md`);
  return {
    fileFor,
    async send(alert: TeamAlert) {
      mkdirSync(dir, { recursive: true });
      appendFileSync(fileFor(alert.date), alert.markdown);
      print(alert.markdown);
    },
  };
}
