/**
 * What a living review starts from: the published review's included trials, its pooled results (shown beside the
 * living ones) and its PRISMA counts. Each review's configuration supplies one.
 */
import type { Study, TimepointClass } from '#shared/extraction/model.ts';
import type { PrismaCycle } from '#shared/publishing/model.ts';

export interface BaselineTrial {
  study: Study;
  /** The article's reference numbers for this trial, and how Table 1 prints them. */
  refs: number[];
  citation: string;
  /** Where each characteristic comes from (Table 1 cell as printed, or a quoted phrase). */
  sources: {
    interventionCategory: string;
    structured: string;
    comparators: string;
    severeMentalHealthConditions: string;
    country: string;
    nRandomised: string;
    rob1Overall: string;
  };
  /**
   * Labels of Metapsy studies holding this trial's outcome data; empty while awaiting extraction. Metapsy codes
   * some characteristics differently (Kaplan 2011: "WL" comparator and "SMI"; Rüsch 2014: "SMI"); for these
   * trials the review's own coding above is the baseline.
   */
  metapsyLabels: string[];
  /** Where the published review judged that the trial gave no usable data for meta-analysis, with its words. */
  dataJudgement?: { usable: boolean; basis: string };
}

/** One row of Table 2 ("Results of the main analysis"), as published. */
export interface PublishedResult {
  outcome: string;
  timepoint: TimepointClass;
  /** The reference numbers the row cites; `trialsCited` resolves them to baseline study ids. */
  citedRefs: number[];
  trials: number;
  n: number;
  measure: 'SMD' | 'MD';
  estimate: number;
  ci: [number, number];
  p: number;
  i2: number;
  chi2: number;
  df: number;
  /** "Duration of follow-up, post end of treatment"; null for post-intervention rows, which leave it blank. */
  followUp: string | null;
  source: string;
}

export interface ReviewBaseline {
  /** Who included the baseline trials and when: the published review's authors, at its publication date. */
  decision: { by: string; at: string };
  trials: BaselineTrial[];
  published: PublishedResult[];
  prisma: PrismaCycle;
}
