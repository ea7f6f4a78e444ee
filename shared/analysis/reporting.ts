/**
 * How a review words its results, as data: the pooling minimum, evidence labels by p, magnitude labels by effect
 * size, the heterogeneity threshold. A review's configuration supplies the rules; these functions only apply them.
 */
export interface EvidenceBand {
  /** The band applies when p is strictly below this bound. */
  pBelow: number;
  label: string;
}

export interface MagnitudeBand {
  /** The band applies when |estimate| is at least this bound. */
  atLeast: number;
  label: string;
}

export interface ReportingRules {
  /** Pool only when at least this many trials have usable data; below it, a narrative line per study. */
  minimumTrialsToPool: number;
  /** Checked from the strictest bound down; the first band whose bound p is below wins. */
  evidence: EvidenceBand[];
  /** Label when p falls in no band. */
  noEvidenceLabel: string;
  /** For standardised mean differences; checked from the largest bound down. */
  smdMagnitude: MagnitudeBand[];
  /** Label when |SMD| is below every band. */
  belowSmallestMagnitude: string;
  /** I² (percent) above which heterogeneity is called substantial. */
  substantialHeterogeneityAbove: number;
  /** Funnel plots, Egger's test and trim-and-fill only from this many trials. */
  minimumTrialsForSmallStudyTests: number;
  /** A subgroup enters a subgroup analysis only with at least this many trials (1 when the review sets none). */
  minimumTrialsPerSubgroup?: number;
}

export function evidenceLabel(p: number, rules: ReportingRules): string {
  const band = [...rules.evidence].sort((a, b) => a.pBelow - b.pBelow).find((b) => p < b.pBelow);
  return band?.label ?? rules.noEvidenceLabel;
}

/** Magnitude applies to SMDs only: a mean difference is in the instrument's own units. */
export function magnitudeLabel(estimate: number, measure: string, rules: ReportingRules): string | null {
  if (measure !== 'SMD') return null;
  const band = [...rules.smdMagnitude]
    .sort((a, b) => b.atLeast - a.atLeast)
    .find((b) => Math.abs(estimate) >= b.atLeast);
  return band?.label ?? rules.belowSmallestMagnitude;
}

export function isSubstantialHeterogeneity(I2: number, rules: ReportingRules): boolean {
  return I2 > rules.substantialHeterogeneityAbove;
}

/** "substantial heterogeneity (I² above 50%)" where the review's rule says so, else null. */
export function heterogeneityLabel(I2: number, rules: ReportingRules): string | null {
  return isSubstantialHeterogeneity(I2, rules)
    ? `substantial heterogeneity (I² above ${rules.substantialHeterogeneityAbove}%)`
    : null;
}

export function canPool(trials: number, rules: ReportingRules): boolean {
  return trials >= rules.minimumTrialsToPool;
}
