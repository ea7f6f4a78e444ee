import { ROB2_DOMAINS, type Rob1Domain, type Rob2Domain, type Rob2Rating, type RobRating } from './model.ts';

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

/**
 * RoB 2's suggested overall judgement (Sterne et al. 2019, BMJ 366:l4898, Table 3): low when every domain is low;
 * high when any domain is high; otherwise some concerns. The guidance lets reviewers judge several "some concerns"
 * domains as high overall: the suggestion says so, and a reviewer who departs from it gives the reason.
 */
export function suggestedRob2Overall(domains: Record<Rob2Domain, Rob2Rating>): {
  rating: Rob2Rating;
  reason: string;
} {
  const rated = (rating: Rob2Rating) => ROB2_DOMAINS.filter((domain) => domains[domain] === rating);
  const high = rated('high');
  if (high.length > 0) return { rating: 'high', reason: `high risk in ${high.join(', ')}` };
  const concerns = rated('some concerns');
  if (concerns.length === 0) return { rating: 'low', reason: 'low risk in every domain' };
  return {
    rating: 'some concerns',
    reason: `some concerns in ${concerns.join(', ')}${concerns.length > 1 ? ' (several may justify high overall: a judgement, with its reason)' : ''}`,
  };
}
