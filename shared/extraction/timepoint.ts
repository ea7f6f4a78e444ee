import type { TimepointClass } from './model.ts';

const WEEKS_PER_YEAR = 52;

export type TimepointResult = { timepoint: TimepointClass } | { timepoint: null; why: string };

/** "8 weeks", "12 months", "1 year", "2,5 months" → weeks; anything less plain (ranges, notes) → null. */
export function durationInWeeks(text: string | null): number | null {
  const match = text?.trim().match(/^(\d+(?:[.,]\d+)?)\s*(weeks?|months?|years?)$/i);
  if (!match?.[1] || !match[2]) return null;
  const amount = Number(match[1].replace(',', '.'));
  const unit = match[2].toLowerCase();
  if (unit.startsWith('week')) return amount;
  if (unit.startsWith('month')) return (amount * WEEKS_PER_YEAR) / 12;
  return amount * WEEKS_PER_YEAR;
}

/**
 * The review's timepoints: post-intervention (end of treatment); short-term follow-up (up to 1 year after the end
 * of treatment); long-term (beyond). Sources give follow-ups in weeks after randomisation, so a follow-up at most
 * 52 weeks after randomisation is short-term whatever the treatment length; a later one needs the treatment's
 * duration to tell, and stays unclassified (with the reason) when the duration is not a plain number.
 */
export function classifyTimepoint(
  time: string,
  weeksAfterRandomisation: number | null,
  treatmentWeeks: number | null,
): TimepointResult {
  const label = time.trim().toLowerCase();
  if (/^post/.test(label)) return { timepoint: 'post' };
  if (!/^(fu|follow)/.test(label)) {
    return { timepoint: null, why: `time "${time}" is neither post-intervention nor follow-up` };
  }
  if (weeksAfterRandomisation === null) {
    return { timepoint: null, why: `follow-up "${time}" without its time in weeks` };
  }
  if (weeksAfterRandomisation <= WEEKS_PER_YEAR) return { timepoint: 'short-term' };
  if (treatmentWeeks === null) {
    return {
      timepoint: null,
      why: `follow-up at ${weeksAfterRandomisation} weeks after randomisation, treatment duration unknown, so it cannot be placed before or after 1 year post-treatment`,
    };
  }
  return {
    timepoint: weeksAfterRandomisation - treatmentWeeks <= WEEKS_PER_YEAR ? 'short-term' : 'long-term',
  };
}

/**
 * A post-treatment measure taken less than half the treatment's length after randomisation is implausible; it
 * usually means the file's "weeks" are another unit (a 2-month programme measured "post" at 2).
 */
export function implausiblePostWeeks(
  time: string,
  weeks: number | null,
  treatmentWeeks: number | null,
): boolean {
  return (
    /^post/i.test(time.trim()) && weeks !== null && treatmentWeeks !== null && weeks < treatmentWeeks / 2
  );
}
