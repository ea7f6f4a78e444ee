/**
 * The group peer support review (reviews/group-peer-support/review.json) as the tests use it: loaded once through
 * the same loader as the CLI, with names for its parts.
 */
import type { BaselineTrial, PublishedResult } from '#shared/review/baseline.ts';
import { loadReview } from '#shared/review/load.ts';
import { reviewSeed } from '#shared/review/seed-files.ts';

export type { BaselineTrial, PublishedResult };

export const groupPeerSupportReview = loadReview('group-peer-support');
export const groupPeerSupportSeed = () => reviewSeed(groupPeerSupportReview);
export const groupPeerSupportEligibility = groupPeerSupportReview.eligibility;
export const groupPeerSupportSearch = groupPeerSupportReview.search;
export const groupPeerSupportExtraction = groupPeerSupportReview.extraction;
export const groupPeerSupportOutcomeMap = groupPeerSupportExtraction.outcomeMap;
export const groupPeerSupportScope = groupPeerSupportExtraction.scope;
export const analysisPlan = groupPeerSupportReview.plan;
export const reportingRules = analysisPlan.reporting;
export const BASELINE_TRIALS = groupPeerSupportReview.baseline.trials;
export const PUBLISHED_RESULTS = groupPeerSupportReview.baseline.published;
export const prismaBaseline = groupPeerSupportReview.baseline.prisma;

const demo = groupPeerSupportReview.demo;
if (!demo?.earlierPoll) throw new Error('the group peer support review must name its demo recordings');
export const DEMO_CASSETTE = demo.cassette;
export const DEMO_EARLIER_POLL = demo.earlierPoll;

/** Baseline study ids of the trials a published row cites (several references can belong to one trial). */
export function trialsCited(result: PublishedResult): string[] {
  const ids = result.citedRefs.map(
    (ref) => BASELINE_TRIALS.find((trial) => trial.refs.includes(ref))?.study.id,
  );
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

export type BaselineDataStatus =
  | { status: 'extracted'; studies: string[] }
  | { status: 'awaiting extracted data'; studies: [] };

/** Whether a baseline trial has arm-level data: some study it links to is stored with such rows. */
export function baselineDataStatus(
  trial: BaselineTrial,
  labelsWithData: ReadonlySet<string>,
): BaselineDataStatus {
  const studies = trial.dataLabels.filter((label) => labelsWithData.has(label));
  return studies.length > 0
    ? { status: 'extracted', studies }
    : { status: 'awaiting extracted data', studies: [] };
}
