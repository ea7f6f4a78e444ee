/**
 * A review's search as data: query blocks with the reason for every term, and the functions that turn them into
 * a PubMed term and ClinicalTrials.gov parameters for one date window. A second review is a second SearchConfig.
 */
import type { SearchWindow } from './window.ts';

export interface QueryTerm {
  /** The term in the source's own syntax, e.g. `"peer support"[tiab:~3]` or `"mutual support"`. */
  term: string;
  /** Why the term is in the search (which concept of the review it covers). */
  why: string;
}

/** Terms joined with OR. */
export interface QueryBlock {
  name: string;
  why: string;
  terms: QueryTerm[];
}

/** A validated filter used verbatim (e.g. the Cochrane HSSS), never rebuilt term by term. */
export interface FixedFilter {
  name: string;
  why: string;
  query: string;
}

export interface SearchConfig {
  reviewId: string;
  /** The last date the published review searched up to (YYYY-MM-DD): the first incremental run starts here. */
  lastSearchDate: string;
  /** Days re-read before the watermark, for records indexed late. */
  overlapDays: number;
  pubmed: {
    /** Joined with AND. */
    blocks: QueryBlock[];
    filter: FixedFilter;
  };
  ctgov: {
    /** query.intr: the intervention concepts. */
    intervention: QueryBlock;
    /** query.term: further concepts searched in all fields (joined with AND to the design and date filters). */
    term: QueryBlock;
    /** AREA[DesignAllocation] value, e.g. RANDOMIZED. */
    allocation: string;
  };
}

function orBlock(block: QueryBlock): string {
  if (block.terms.length === 0) throw new Error(`query block "${block.name}" has no terms`);
  return `(${block.terms.map((term) => term.term).join(' OR ')})`;
}

function slashed(date: string): string {
  return date.replaceAll('-', '/');
}

/** The concept blocks AND the filter, without a date window: what a reader of the review would run. */
export function pubmedConcepts(config: SearchConfig): string {
  return [...config.pubmed.blocks.map(orBlock), `(${config.pubmed.filter.query})`].join(' AND ');
}

/**
 * The PubMed term for one window: records created ([crdt]) or entered ([edat]) in it, so records indexed late
 * with old publication dates are still caught.
 */
export function pubmedTerm(config: SearchConfig, window: SearchWindow): string {
  const from = slashed(window.from);
  const until = slashed(window.until);
  const dates = `(("${from}"[crdt] : "${until}"[crdt]) OR ("${from}"[edat] : "${until}"[edat]))`;
  return `${pubmedConcepts(config)} AND ${dates}`;
}

/** The ClinicalTrials.gov API v2 query parameters for one window (registrations updated in it). */
export function ctgovQuery(config: SearchConfig, window: SearchWindow): Record<string, string> {
  const { intervention, term, allocation } = config.ctgov;
  return {
    'query.intr': orBlock(intervention),
    'query.term': [
      orBlock(term),
      `AREA[DesignAllocation]${allocation}`,
      `AREA[LastUpdatePostDate]RANGE[${window.from},${window.until}]`,
    ].join(' AND '),
  };
}
