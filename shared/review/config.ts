import type { AnalysisPlan } from '#shared/analysis/plan.ts';
import type { ExtractionConfig } from '#shared/extraction/outcome-map.ts';
import type { Eligibility } from '#shared/screening/eligibility.ts';
import type { SearchConfig } from '#shared/sources/search-config.ts';
import type { ReviewBaseline } from './baseline.ts';

/** A review as configuration: a second review is a second one of these, not a fork of the code. */
export interface ReviewConfig {
  id: string;
  title: string;
  citation: string;
  /** Who keeps the living version; shown on the page and in the feed. */
  maintainer: string;
  search: SearchConfig;
  eligibility: Eligibility;
  extraction: ExtractionConfig;
  plan: AnalysisPlan;
  baseline: ReviewBaseline;
  /** What each outcome-data file the review imports is, named on the page beside the data it gave. */
  dataSources: { document: string; description: string }[];
}

/** Outcomes in the order the review reports them; analyses of other outcomes follow, by name. */
export function outcomeOrder(review: ReviewConfig): string[] {
  return review.extraction.outcomeMap.outcomes.map((outcome) => outcome.id);
}
