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

export function formatProgress(progress: SearchProgress): string {
  const expected = progress.expected === undefined ? '' : ` of ${progress.expected}`;
  const note = progress.note === undefined ? '' : ` (${progress.note})`;
  return `${progress.source}: ${progress.requests} request(s), ${progress.records}${expected} record(s)${note}`;
}
