import type { ProblemList } from './cells.ts';
import type { OutcomeRow } from './model.ts';

function withoutProvenance(row: OutcomeRow): string {
  const { provenance: _provenance, ...rest } = row;
  return JSON.stringify(rest);
}

/**
 * Multi-arm trials repeat their shared arm on every comparison row; identical repeats collapse to one arm row.
 * The same study, outcome, time, weeks, instrument and arm with different numbers is a contradiction in the file.
 */
export function dedupeRows(rows: OutcomeRow[], problems: ProblemList): OutcomeRow[] {
  const seen = new Map<string, OutcomeRow>();
  for (const row of rows) {
    const earlier = seen.get(row.id);
    if (!earlier) {
      seen.set(row.id, row);
    } else if (withoutProvenance(earlier) !== withoutProvenance(row)) {
      problems.add(
        row.provenance.row ?? 0,
        '(whole row)',
        `repeats the study, outcome, time, weeks, instrument and arm of row ${earlier.provenance.row} with different values`,
      );
    }
  }
  return [...seen.values()];
}

/** Identifies one arm (or one set-aside comparison) of one result: a study can report several follow-ups. */
export function rowId(
  studyId: string,
  outcome: string,
  time: string,
  weeks: number | null,
  instrument: string,
  arm: string,
): string {
  const when = weeks === null ? time : `${time}@${weeks}w`;
  return [studyId, outcome, when, instrument, arm].map((part) => part.trim().toLowerCase()).join('|');
}
