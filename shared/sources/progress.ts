import type { SourceName } from '#shared/records/record.ts';

/** What a running search reports: requests made, records so far, the total the source announced. */
export interface SearchProgress {
  source: SourceName;
  requests: number;
  records: number;
  /** Undefined until the source has said how many records to expect. */
  expected?: number;
  note?: string;
}

export type ProgressListener = (progress: SearchProgress) => void;

/** One progress line; with the seconds since the search started it also gives the request and record rates. */
export function formatProgress(progress: SearchProgress, elapsedSeconds?: number): string {
  const expected = progress.expected === undefined ? '' : ` of ${progress.expected}`;
  const note = progress.note === undefined ? '' : ` (${progress.note})`;
  const rate =
    elapsedSeconds && elapsedSeconds > 0
      ? `, ${(progress.requests / elapsedSeconds).toFixed(1)} requests/s, ${(progress.records / elapsedSeconds).toFixed(0)} records/s`
      : '';
  return `${progress.source}: ${progress.requests} request(s), ${progress.records}${expected} record(s)${rate}${note}`;
}

/** A listener that prints each event with its rates, measured from when the listener was made (the poll's start). */
export function printingProgress(
  print: (line: string) => void,
  now: () => number = () => performance.now(),
): ProgressListener {
  const start = now();
  return (progress) => print(`${formatProgress(progress, (now() - start) / 1000)}\n`);
}
