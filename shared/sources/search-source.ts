/**
 * The use case: run a review's search against one source for one window and return the normalised records.
 * Nothing is stored here; the cycle stores the records and advances the watermark only after this succeeds.
 */
import type { BibRecord, SourceName } from '#shared/records/record.ts';
import { type CtgovSettings, createCtgovClient } from './ctgov/client.ts';
import type { HttpClient, RemainingTime } from './http.ts';
import type { ProgressListener, SearchProgress } from './progress.ts';
import { createPubmedClient, type PubmedSettings } from './pubmed/client.ts';
import { ctgovQuery, pubmedTerm, type SearchConfig } from './search-config.ts';
import { checkedWindow, type SearchWindow } from './window.ts';

export type SearchableSource = Extract<SourceName, 'pubmed' | 'ctgov'>;

export interface SourcePorts {
  search: SearchConfig;
  pubmed: { http: HttpClient; settings: PubmedSettings };
  ctgov: { http: HttpClient; settings: CtgovSettings };
  onProgress?: ProgressListener;
}

export interface SourceSearchResult {
  source: SearchableSource;
  window: SearchWindow;
  records: BibRecord[];
  /** PMIDs PubMed reported as deleted (DeleteCitation); always empty for ClinicalTrials.gov. */
  deleted: string[];
  /** Records the source counted but did not return, per window (see PubmedResult); empty when complete. */
  shortfalls: string[];
  progress: SearchProgress[];
}

export interface SearchOptions {
  /** The time the caller has left (a poll's deadline): no request is started or waited for past it. */
  remainingMs?: RemainingTime;
}

export async function searchSource(
  source: SearchableSource,
  window: SearchWindow,
  ports: SourcePorts,
  options: SearchOptions = {},
): Promise<SourceSearchResult> {
  checkedWindow(window);
  const progress: SearchProgress[] = [];
  let requests = 0;
  let last: Omit<SearchProgress, 'source' | 'requests'> = { records: 0 };
  const emit = (update: Omit<SearchProgress, 'source' | 'requests'>) => {
    last = {
      records: update.records,
      ...(update.expected === undefined ? {} : { expected: update.expected }),
    };
    const event: SearchProgress = { source, requests, ...update };
    progress.push(event);
    ports.onProgress?.(event);
  };
  // Every request of the search counts, and keeps to the caller's deadline.
  const counted = (http: HttpClient): HttpClient => ({
    text: (request, check) => {
      requests += 1;
      return http.text(request, check, options.remainingMs);
    },
  });

  if (source === 'pubmed') {
    const client = createPubmedClient(counted(ports.pubmed.http), ports.pubmed.settings, emit);
    const { records, deleted, shortfalls } = await client.readWindow(
      (part) => pubmedTerm(ports.search, part),
      window,
    );
    emit({ ...last, records: records.length, note: 'done' });
    return { source, window, records, deleted, shortfalls, progress };
  }
  const client = createCtgovClient(counted(ports.ctgov.http), ports.ctgov.settings, emit);
  const records = await client.search(ctgovQuery(ports.search, window));
  emit({ ...last, records: records.length, note: 'done' });
  return { source, window, records, deleted: [], shortfalls: [], progress };
}
