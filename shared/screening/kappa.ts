/**
 * Agreement between the two independent reviewers of the dual-screening sample: Cohen's kappa over the first
 * decision each made (revisions after seeing a conflict would inflate agreement). Pure.
 */
import { DECISION_VALUES, type DecisionValue, type Stage } from '#shared/store/ports.ts';
import { firstDecisions } from './state.ts';
import type { RecordView } from './view.ts';

export interface Agreement {
  stage: Stage;
  /** Records decided independently by two reviewers. */
  pairs: number;
  agreed: number;
  observed: number | null;
  expected: number | null;
  /** Null when undefined: no pairs, or chance agreement of 1 (both reviewers used a single category). */
  kappa: number | null;
}

export function cohensKappa(pairs: readonly (readonly [DecisionValue, DecisionValue])[]) {
  const n = pairs.length;
  if (n === 0) return { agreed: 0, observed: null, expected: null, kappa: null };
  const agreed = pairs.filter(([a, b]) => a === b).length;
  const observed = agreed / n;
  const expected = DECISION_VALUES.reduce((sum, value) => {
    const first = pairs.filter(([a]) => a === value).length / n;
    const second = pairs.filter(([, b]) => b === value).length / n;
    return sum + first * second;
  }, 0);
  const kappa = expected === 1 ? null : (observed - expected) / (1 - expected);
  return { agreed, observed, expected, kappa };
}

/**
 * At title/abstract, the dual sample's pairs. At full text, every record two reviewers decided independently: the
 * dual sample and the second reviewer's blind check of inclusions and sampled exclusions (a settled record takes no
 * further first decision, so any two first decisions there are independent).
 */
export function agreement(records: readonly RecordView[], stage: Stage): Agreement {
  const pairs = records
    .filter((view) => stage === 'full-text' || view.dual)
    .flatMap((view) => {
      const [first, second] = firstDecisions(view.decisions, stage);
      return first && second ? [[first.decision, second.decision] as const] : [];
    });
  return { stage, pairs: pairs.length, ...cohensKappa(pairs) };
}
