/**
 * Incremental search windows (pure). Dates are calendar days, YYYY-MM-DD, inclusive at both ends.
 */
import { InputError } from '#shared/errors.ts';

export interface SearchWindow {
  from: string;
  until: string;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseDay(date: string, what = 'date'): number {
  const time = ISO_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(time) || formatDay(time) !== date) {
    throw new InputError(`${what} must be a calendar date YYYY-MM-DD (got ${JSON.stringify(date)})`);
  }
  return time;
}

export function formatDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export interface WindowInput {
  /** The `until` of the last successful run, if any. */
  watermark?: string;
  /** The review's last search date: where the first run starts. */
  firstSearchDate: string;
  overlapDays: number;
  now: Date;
}

/** From the watermark minus the overlap (or the review's last search date on a first run) to today. */
export function nextWindow({ watermark, firstSearchDate, overlapDays, now }: WindowInput): SearchWindow {
  if (!Number.isInteger(overlapDays) || overlapDays < 0) {
    throw new InputError(`overlap must be a whole number of days >= 0 (got ${overlapDays})`);
  }
  const until = formatDay(now.getTime());
  const from =
    watermark === undefined
      ? parseDay(firstSearchDate, 'first search date')
      : parseDay(watermark, 'watermark') - overlapDays * DAY_MS;
  return checkedWindow({ from: formatDay(from), until });
}

export function checkedWindow(window: SearchWindow): SearchWindow {
  if (parseDay(window.from, 'window start') > parseDay(window.until, 'window end')) {
    throw new InputError(`window starts after it ends: ${window.from} > ${window.until}`);
  }
  return window;
}

export function windowDays(window: SearchWindow): number {
  return (parseDay(window.until) - parseDay(window.from)) / DAY_MS + 1;
}

/** Two halves that together cover the window exactly once; undefined when it is a single day. */
export function splitWindow(window: SearchWindow): [SearchWindow, SearchWindow] | undefined {
  const days = windowDays(window);
  if (days < 2) return undefined;
  const firstEnd = parseDay(window.from) + (Math.floor(days / 2) - 1) * DAY_MS;
  return [
    { from: window.from, until: formatDay(firstEnd) },
    { from: formatDay(firstEnd + DAY_MS), until: window.until },
  ];
}
