import type { CharacteristicSpec } from './characteristics.ts';
import type { DeliveryFormat, Study } from './model.ts';

/** An outcome the review analyses, with the direction most of its instruments score in. */
export interface ReviewOutcome {
  /** e.g. "recovery", "global symptoms". */
  id: string;
  /** Higher is better unless an instrument rule says otherwise (symptom scales: false). */
  higherIsBetter: boolean;
}

/**
 * Maps a source outcome to a review outcome: by its category (Metapsy outcome_category), its subcategory
 * (outcome_subcategory), or both, optionally narrowed by instrument. Rules are tried in order; the first that
 * matches every field it gives wins.
 */
export interface OutcomeRule {
  category?: string;
  subcategory?: string;
  /** When given, the rule applies only to instruments matching it. */
  instrument?: RegExp;
  outcome: string;
}

/** How a source names one result's outcome. */
export interface SourceOutcome {
  category: string | null;
  subcategory: string;
  instrument: string;
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
  /**
   * Where a source signs its own effect (Metapsy's .g, positive favouring arm 1), that sign against the mean
   * difference decides the scale's direction row by row: the source's alignment is the published review's. The
   * configured direction is used where the source cannot tell (no effect, or a zero effect or difference).
   */
  directionFromSourceEffect: boolean;
}

/** What the review's scope says about a study's data (a screening hint shown with candidates; not an inclusion). */
export interface ScopeRule {
  formats: DeliveryFormat[];
  description: string;
}

export interface ExtractionConfig {
  outcomeMap: OutcomeMap;
  scope: ScopeRule;
  /** The study characteristics the review declares. */
  characteristics: CharacteristicSpec[];
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
export function mapSourceOutcome(map: OutcomeMap, source: SourceOutcome): MappedOutcome | null {
  const rule = map.rules.find(
    (candidate) =>
      (candidate.category === undefined ||
        (source.category !== null && same(candidate.category, source.category))) &&
      (candidate.subcategory === undefined || same(candidate.subcategory, source.subcategory)) &&
      (!candidate.instrument || candidate.instrument.test(source.instrument)),
  );
  if (!rule) return null;
  const outcome = findReviewOutcome(map, rule.outcome);
  if (!outcome) throw new Error(`outcome map rule names unknown outcome "${rule.outcome}"`);
  return { outcome: outcome.id, higherIsBetter: directionFor(map, outcome, source.instrument) };
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
