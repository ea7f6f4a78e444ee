import type { Rob1Domain, RobRating } from './model.ts';

/**
 * The 2021 review's overall risk-of-bias rule, read from its "Risk of bias assessment" section:
 *
 *   "Studies that were rated as low ROB in every domain of bias were categorised as low overall ROB [44].
 *    Selection bias (random sequence generation and allocation concealment) and risks from incomplete reporting
 *    of study data (attrition bias and reporting bias) were considered key risks of bias [43], so studies with
 *    high or unclear risks in these domains received these ratings overall."
 *
 * So: low only when every domain is low. A high rating in a key domain (sequence generation, allocation
 * concealment, incomplete outcome data, selective reporting) makes the study high overall; otherwise an unclear
 * key domain makes it unclear. The results section applies it the same way (high attrition [60] or high reporting
 * [61] → high; unclear selection, attrition or reporting → unclear).
 *
 * The text does not say what a study with all key domains low but a high or unclear blinding/other domain gets.
 * It cannot be low (not every domain is low) and the text carries over only key domains, so we rate it
 * "unclear" and say so in the reason rather than borrow the blinding rating.
 */
export const KEY_ROB1_DOMAINS: readonly Rob1Domain[] = [
  'randomSequenceGeneration',
  'allocationConcealment',
  'incompleteOutcomeData',
  'selectiveReporting',
];

export interface OverallRob {
  rating: RobRating;
  reason: string;
}

export function overallRob1(domains: Record<Rob1Domain, RobRating>): OverallRob {
  const entries = Object.entries(domains) as [Rob1Domain, RobRating][];
  if (entries.every(([, rating]) => rating === 'low')) {
    return { rating: 'low', reason: 'low risk in every domain' };
  }
  const keyRated = (rating: RobRating) =>
    KEY_ROB1_DOMAINS.filter((domain) => domains[domain] === rating) as Rob1Domain[];
  const highKeys = keyRated('high');
  if (highKeys.length > 0)
    return { rating: 'high', reason: `high risk in key domain ${highKeys.join(', ')}` };
  const unclearKeys = keyRated('unclear');
  if (unclearKeys.length > 0) {
    return { rating: 'unclear', reason: `unclear risk in key domain ${unclearKeys.join(', ')}` };
  }
  const notLow = entries.filter(([, rating]) => rating !== 'low').map(([domain]) => domain);
  return {
    rating: 'unclear',
    reason: `key domains low but not every domain low (${notLow.join(', ')}); the review's rule does not carry non-key domains over`,
  };
}
