import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notifier, TeamAlert } from './notifier.ts';

/** The line an alert with an id starts with in the file, so the same alert is never appended twice. */
export function alertMarker(id: string): string {
  return `<!-- living-review alert ${id} -->`;
}

/**
 * Prints each alert and appends it to <dir>/<date>.md (a second alert the same day goes below the first). An alert
 * with an id already in that file was delivered before (by a run killed before it could note so): it is dropped.
 */
export function localNotifier(
  dir: string,
  print: (text: string) => void,
): Notifier & { fileFor(date: string): string } {
  const fileFor = (date: string) => join(dir, `${date}.md`);
  return {
    fileFor,
    async send(alert: TeamAlert) {
      mkdirSync(dir, { recursive: true });
      const file = fileFor(alert.date);
      const marker = alert.id === undefined ? undefined : alertMarker(alert.id);
      if (marker && existsSync(file) && readFileSync(file, 'utf8').includes(marker)) return;
      // One write of marker and text together: a crash leaves the alert wholly in the file or not at all.
      appendFileSync(file, marker ? `${marker}\n${alert.markdown}` : alert.markdown);
      print(alert.markdown);
    },
  };
}
