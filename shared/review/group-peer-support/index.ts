import type { ReviewConfig } from '../config.ts';
import { analysisPlan } from './analysis-plan.ts';
import { BASELINE_TRIALS, PUBLISHED_RESULTS } from './baseline.ts';
import { groupPeerSupportEligibility, PUBLISHED_REVIEW_AUTHORS } from './eligibility.ts';
import { groupPeerSupportExtraction } from './outcomes.ts';
import { prismaBaseline } from './prisma-baseline.ts';
import { groupPeerSupportSearch } from './search.ts';

export const groupPeerSupportReview: ReviewConfig = {
  id: 'group-peer-support',
  title:
    'Group peer support interventions for people with mental health conditions: a living systematic review',
  citation:
    'Lyons N, Cooper C, Lloyd-Evans B. A systematic review and meta-analysis of group peer support interventions for people experiencing mental health conditions. BMC Psychiatry. 2021;21:315.',
  maintainer: 'living-review',
  search: groupPeerSupportSearch,
  eligibility: groupPeerSupportEligibility,
  extraction: groupPeerSupportExtraction,
  plan: analysisPlan,
  dataSources: [
    {
      document: 'metapsy-data.csv',
      description:
        'the Metapsy peer-support database (github metapsy-project/data-peer-support-interventions, commit 6354c0a8 of 2023-03-01; Zenodo 10.5281/zenodo.7687898), the data behind Smit et al. 2023',
    },
  ],
  baseline: {
    // The review's publication date (BMC Psychiatry 21:315, published 23 June 2021).
    decision: { by: PUBLISHED_REVIEW_AUTHORS, at: '2021-06-23T00:00:00.000Z' },
    trials: BASELINE_TRIALS,
    published: PUBLISHED_RESULTS,
    prisma: prismaBaseline,
  },
};
