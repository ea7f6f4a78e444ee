import type { DeliveryFormat, Study } from './model.ts';

/** An outcome the review analyses, with the direction most of its instruments score in. */
export interface ReviewOutcome {
  /** e.g. "recovery", "global symptoms". */
  id: string;
  /** Higher is better unless an instrument rule says otherwise (symptom scales: false). */
  higherIsBetter: boolean;
}

/** Maps a source outcome (Metapsy outcome_subcategory, optionally narrowed by instrument) to a review outcome. */
export interface OutcomeRule {
  subcategory: string;
  /** When given, the rule applies only to instruments matching it; rules are tried in order. */
  instrument?: RegExp;
  outcome: string;
}

/** An instrument whose scoring direction differs from its outcome's default, with where that is stated. */
export interface InstrumentDirection {
  instrument: RegExp;
  higherIsBetter: boolean;
  source: string;
}

export interface OutcomeMap {
  outcomes: ReviewOutcome[];
  rules: OutcomeRule[];
  instrumentDirections: InstrumentDirection[];
}

/** What the review's scope says about a study's data (a screening hint shown with candidates; not an inclusion). */
export interface ScopeRule {
  formats: DeliveryFormat[];
  description: string;
}

export interface ExtractionConfig {
  outcomeMap: OutcomeMap;
  scope: ScopeRule;
  /**
   * Gives studies the review already coded (its baseline register) the review's own characteristics and RoB 1,
   * so a database's different coding of the same trial does not change subgroups or sensitivity analyses.
   */
  reconcileStudy?: (study: Study) => Study;
}

export interface MappedOutcome {
  outcome: string;
  higherIsBetter: boolean;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function findReviewOutcome(map: OutcomeMap, id: string): ReviewOutcome | undefined {
  return map.outcomes.find((outcome) => same(outcome.id, id));
}

export function directionFor(map: OutcomeMap, outcome: ReviewOutcome, instrument: string): boolean {
  const override = map.instrumentDirections.find((rule) => rule.instrument.test(instrument));
  return override ? override.higherIsBetter : outcome.higherIsBetter;
}

/** The review outcome a source outcome maps to, or null when the configuration maps it to none. */
export function mapSourceOutcome(
  map: OutcomeMap,
  subcategory: string,
  instrument: string,
): MappedOutcome | null {
  const rule = map.rules.find(
    (candidate) =>
      same(candidate.subcategory, subcategory) &&
      (!candidate.instrument || candidate.instrument.test(instrument)),
  );
  if (!rule) return null;
  const outcome = findReviewOutcome(map, rule.outcome);
  if (!outcome)
    throw new Error(`outcome map rule for "${subcategory}" names unknown outcome "${rule.outcome}"`);
  return { outcome: outcome.id, higherIsBetter: directionFor(map, outcome, instrument) };
}

export function scopeOf(
  scope: ScopeRule,
  format: DeliveryFormat | null,
): { inScope: boolean; reason: string } {
  if (format === null) return { inScope: false, reason: `format not reported; ${scope.description}` };
  if (scope.formats.includes(format))
    return { inScope: true, reason: `${format} format; ${scope.description}` };
  return { inScope: false, reason: `${format} format is outside the scope: ${scope.description}` };
}
