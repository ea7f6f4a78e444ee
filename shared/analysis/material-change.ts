/**
 * What changed between two analysis versions, in the words a reader needs: a conclusion label changed, the CI
 * started or stopped crossing zero, the estimate moved by more than 0.1, a trial was added or removed, an outcome
 * became poolable or stopped being. Pure: two lists of analyses in, a list of changes out.
 */
import type { AnalysisEntry } from './run-plan.ts';

export const MATERIAL_ESTIMATE_SHIFT = 0.1;

export interface AnalysisChange {
  outcome: string;
  timepoint: string;
  analysis: string;
  /** Plain sentence, e.g. "estimate moved from 0.18 to 0.31". */
  description: string;
  material: boolean;
}

const keyOf = (a: AnalysisEntry) => `${a.timepoint}|${a.outcome}|${a.analysis}`;
const crossesZero = (ci: readonly [number, number] | null) => ci !== null && ci[0] <= 0 && ci[1] >= 0;
const two = (x: number | null) => (x === null ? 'none' : x.toFixed(2));

/** "SMD 0.18 (0.07 to 0.29), 5 trials", or the trial count alone when the analysis is not pooled. */
export function resultText(entry: AnalysisEntry): string {
  const trials = `${entry.k} trial${entry.k === 1 ? '' : 's'}`;
  if (entry.estimate === null || entry.ci === null) return `${trials}, not pooled`;
  return `${entry.measure} ${two(entry.estimate)} (${two(entry.ci[0])} to ${two(entry.ci[1])}), ${trials}`;
}

function compare(
  before: AnalysisEntry,
  after: AnalysisEntry,
): Omit<AnalysisChange, 'outcome' | 'timepoint' | 'analysis'>[] {
  const changes: Omit<AnalysisChange, 'outcome' | 'timepoint' | 'analysis'>[] = [];
  const studiesBefore = new Set(before.studies.map((s) => s.study));
  const studiesAfter = new Set(after.studies.map((s) => s.study));
  const added = [...studiesAfter].filter((study) => !studiesBefore.has(study));
  const removed = [...studiesBefore].filter((study) => !studiesAfter.has(study));
  if (added.length > 0 || removed.length > 0) {
    const which = [
      ...(added.length > 0 ? [`added: ${added.join(', ')}`] : []),
      ...(removed.length > 0 ? [`removed: ${removed.join(', ')}`] : []),
    ];
    changes.push({
      description: `${resultText(before)} -> ${resultText(after)}; ${which.join('; ')}`,
      material: true,
    });
  }
  if (before.pooled !== after.pooled) {
    changes.push({
      description: after.pooled ? 'now pooled' : 'no longer pooled (too few trials)',
      material: true,
    });
  }
  if (before.evidence !== after.evidence) {
    changes.push({
      description: `evidence changed from ${before.evidence ?? 'none'} to ${after.evidence ?? 'none'}`,
      material: true,
    });
  }
  if (before.magnitude !== after.magnitude) {
    changes.push({
      description: `magnitude changed from ${before.magnitude ?? 'none'} to ${after.magnitude ?? 'none'}`,
      material: true,
    });
  }
  if (before.ci && after.ci && crossesZero(before.ci) !== crossesZero(after.ci)) {
    changes.push({
      description: crossesZero(after.ci)
        ? 'the 95% CI now crosses zero'
        : 'the 95% CI no longer crosses zero',
      material: true,
    });
  }
  if (before.estimate !== null && after.estimate !== null && before.estimate !== after.estimate) {
    const moved = Math.abs(after.estimate - before.estimate) > MATERIAL_ESTIMATE_SHIFT;
    changes.push({
      description: `estimate moved from ${two(before.estimate)} to ${two(after.estimate)}`,
      material: moved,
    });
  }
  if (before.measure !== after.measure) {
    changes.push({
      description: `measure changed from ${before.measure} to ${after.measure}`,
      material: true,
    });
  }
  return changes;
}

export function diffAnalyses(
  before: readonly AnalysisEntry[],
  after: readonly AnalysisEntry[],
): AnalysisChange[] {
  const previous = new Map(before.map((a) => [keyOf(a), a]));
  const current = new Map(after.map((a) => [keyOf(a), a]));
  const changes: AnalysisChange[] = [];
  const where = (a: AnalysisEntry) => ({ outcome: a.outcome, timepoint: a.timepoint, analysis: a.analysis });
  for (const [key, entry] of current) {
    const old = previous.get(key);
    if (!old) {
      changes.push({
        ...where(entry),
        description: `new analysis with ${entry.k} trial${entry.k === 1 ? '' : 's'}`,
        material: entry.pooled && entry.analysis === 'main',
      });
      continue;
    }
    // A conclusion is the main analysis's: other analyses' changes go to the changelog, not to an alert.
    for (const change of compare(old, entry)) {
      changes.push({ ...where(entry), ...change, material: change.material && entry.analysis === 'main' });
    }
  }
  for (const [key, entry] of previous) {
    if (!current.has(key)) {
      changes.push({
        ...where(entry),
        description: 'analysis no longer possible',
        material: entry.pooled && entry.analysis === 'main',
      });
    }
  }
  return changes;
}
