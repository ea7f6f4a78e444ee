/**
 * Exclusion reasons of Lyons, Cooper & Lloyd-Evans 2021 (group peer support for people with mental health
 * conditions), from its Methods: eligibility criteria. The first 10% of records were screened by two reviewers.
 */
import { validateEligibility } from '#shared/screening/eligibility.ts';

/** Who decided the published review's inclusions: recorded as the decider of its baseline decisions. */
export const PUBLISHED_REVIEW_AUTHORS = 'Lyons, Cooper & Lloyd-Evans 2021';

export const groupPeerSupportEligibility = validateEligibility({
  review: 'Group peer support for people with mental health conditions (Lyons, Cooper & Lloyd-Evans 2021)',
  dualFraction: 0.1,
  // "The second reviewer (CC), blind to the first reviewer's screen, then screened all included studies and 10% of
  // the excluded studies, to check for concordance."
  fullTextSecondReview: { allIncluded: true, excludedFraction: 0.1, settledBy: [PUBLISHED_REVIEW_AUTHORS] },
  keywords: [
    'peer support',
    'peer-led',
    'peer facilitated',
    'mutual support',
    'self-help group',
    'support group',
    'group',
    'recovery',
    'mental health',
    'mental illness',
    'psychosis',
    'schizophrenia',
    'bipolar',
    'depression',
  ],
  reasons: [
    {
      code: 'design',
      label:
        'Not a completed, individually randomised controlled trial (cluster, incomplete, quasi- or non-randomised)',
    },
    {
      code: 'population',
      label:
        'Population: not adults (18+) with mental health conditions, or only organic neurological, childhood, developmental or substance misuse disorders',
    },
    {
      code: 'not-group',
      label:
        'Not group peer support (one-to-one, group combined with individual peer support, or two participants or fewer)',
    },
    {
      code: 'professional-facilitation',
      label: 'Facilitated, co-facilitated or guided by health professionals',
    },
    {
      code: 'focus',
      label:
        'Focus other than recovery with mental health conditions (e.g. addiction, bereavement, physical health)',
    },
    { code: 'outcomes', label: 'No eligible outcome reported' },
    { code: 'duplicate', label: 'Duplicate or companion report of an included study' },
  ],
});
