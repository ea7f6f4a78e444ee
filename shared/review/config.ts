import type { AnalysisPlan } from '#shared/analysis/plan.ts';
import type { ExtractionFormat } from '#shared/extraction/import.ts';
import type { ExtractionConfig } from '#shared/extraction/outcome-map.ts';
import type { Eligibility } from '#shared/screening/eligibility.ts';
import type { SearchConfig } from '#shared/sources/search-config.ts';
import type { ReviewBaseline } from './baseline.ts';

/** What the two sides of a comparison are called: "Favours peer support" / "Favours control". */
export interface ReviewLabels {
  intervention: string;
  control: string;
}

/** An outcome-data file the review imports, named on the page beside the data it gave. */
export interface DataSource {
  /** The file's name, as provenance names it (e.g. "metapsy-data.csv"). */
  document: string;
  description: string;
  /** Absolute path of the file. */
  file: string;
  format: ExtractionFormat;
  /** Absolute path of a JSON object of citations by study label (Metapsy's references.json), if any. */
  citations: string | null;
}

/** Recorded answers that let `cycle --offline` run the review's search without the network. */
export interface DemoRecordings {
  cassette: string;
  /** Registrations an "earlier poll" stored, so the demo's poll shows a registry change. */
  earlierPoll: string | null;
}

/**
 * A review as configuration, read from its file (`shared/review/load.ts`, documented in docs/review-file.md): a
 * second review is a second file, not a fork of the code.
 */
export interface ReviewConfig {
  id: string;
  title: string;
  /** The review question, as the page states it. */
  question: string;
  /** The published review this living version keeps current. */
  citation: string;
  /** Who keeps the living version; shown on the page and in the feed. */
  maintainer: string;
  labels: ReviewLabels;
  search: SearchConfig;
  eligibility: Eligibility;
  extraction: ExtractionConfig;
  plan: AnalysisPlan;
  baseline: ReviewBaseline;
  dataSources: DataSource[];
  demo: DemoRecordings | null;
  /** The file the review was read from. */
  file: string;
}

/** Outcomes in the order the review reports them; analyses of other outcomes follow, by name. */
export function outcomeOrder(review: ReviewConfig): string[] {
  return review.plan.outcomes ?? review.extraction.outcomeMap.outcomes.map((outcome) => outcome.id);
}
