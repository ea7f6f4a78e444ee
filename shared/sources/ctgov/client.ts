/**
 * ClinicalTrials.gov API v2 `/studies`: pageToken paging (the first page's parameters repeated on every page, an
 * empty last page accepted), and a status watch for registrations the review already knows.
 */
import { InputError, SourceError } from '#shared/errors.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { type HttpClient, RetryableError } from '../http.ts';
import type { SearchProgress } from '../progress.ts';
import { parseCtgovStudy } from './parse.ts';

export interface CtgovSettings {
  /** API base, e.g. https://clinicaltrials.gov/api/v2 */
  baseUrl: string;
  pageSize: number;
  /** A guard against a server that never stops handing out page tokens. */
  maxPages: number;
}

// Full study records run to 150 KB each: 200 a page keeps an answer near 10-30 MB (the API allows up to 1000).
export const CTGOV_DEFAULTS = { pageSize: 200, maxPages: 1000 } as const;

interface Page {
  records: BibRecord[];
  totalCount?: number;
  nextPageToken?: string;
}

export function createCtgovClient(
  http: HttpClient,
  settings: CtgovSettings,
  report: (progress: Omit<SearchProgress, 'source' | 'requests'>) => void = () => {},
) {
  async function page(params: Record<string, string>): Promise<Page> {
    let parsed: Page = { records: [] };
    await http.text({ method: 'GET', url: `${settings.baseUrl}/studies`, params }, (text) => {
      parsed = readPage(text);
    });
    return parsed;
  }

  /** Every study matching `query`, following nextPageToken to the end. */
  async function search(query: Record<string, string>): Promise<BibRecord[]> {
    const base = { format: 'json', countTotal: 'true', pageSize: String(settings.pageSize), ...query };
    const records = new Map<string, BibRecord>();
    let expected: number | undefined;
    let token: string | undefined;
    const seenTokens = new Set<string>();
    for (let pages = 0; pages < settings.maxPages; pages += 1) {
      const current = await page(token === undefined ? base : { ...base, pageToken: token });
      expected ??= current.totalCount;
      for (const record of current.records) if (!records.has(record.id)) records.set(record.id, record);
      report({ records: records.size, ...(expected === undefined ? {} : { expected }) });
      token = current.nextPageToken;
      if (token === undefined) return [...records.values()];
      if (seenTokens.has(token)) throw new SourceError('ctgov', `page token ${token} came back twice`);
      seenTokens.add(token);
    }
    throw new SourceError('ctgov', `still more pages after ${settings.maxPages}`);
  }

  /** The current registrations of known NCT ids, fetched in pages of `pageSize` ids. */
  async function current(nctIds: string[]): Promise<BibRecord[]> {
    const ids = [...new Set(nctIds.map((id) => id.toUpperCase()))];
    for (const id of ids)
      if (!/^NCT\d{8}$/.test(id)) throw new InputError(`not an NCT id: ${JSON.stringify(id)}`);
    const records: BibRecord[] = [];
    for (let start = 0; start < ids.length; start += settings.pageSize) {
      records.push(
        ...(await search({ 'filter.ids': ids.slice(start, start + settings.pageSize).join(',') })),
      );
    }
    return records;
  }

  return { search, current };
}

function readPage(text: string): Page {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Valid JSON is all or nothing: a parse failure is a body cut short or garbled on the way.
    throw new RetryableError('incomplete answer: the page is not valid JSON');
  }
  const page = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (!Array.isArray(page.studies)) throw new SourceError('ctgov', 'answer without a studies list');
  return {
    records: page.studies.map((study, index) => {
      try {
        return parseCtgovStudy(study);
      } catch (error) {
        throw new SourceError('ctgov', `studies[${index}]: ${(error as Error).message}`);
      }
    }),
    ...(typeof page.totalCount === 'number' ? { totalCount: page.totalCount } : {}),
    ...(typeof page.nextPageToken === 'string' && page.nextPageToken !== ''
      ? { nextPageToken: page.nextPageToken }
      : {}),
  };
}

export type StatusChange = {
  nctId: string;
  change: 'completed' | 'results posted' | 'withdrawn' | 'status changed';
  from: string;
  to: string;
};

/** What changed in registrations the review tracks: now COMPLETED, results posted, withdrawn. */
export function statusChanges(known: BibRecord[], now: BibRecord[]): StatusChange[] {
  const before = new Map(known.map((record) => [record.id, record.registry]));
  const changes: StatusChange[] = [];
  for (const record of now) {
    const previous = before.get(record.id);
    const nctId = record.nctIds[0] ?? record.id;
    if (previous === undefined || record.registry === undefined) continue;
    const { status } = record.registry;
    if (record.registry.hasResults && !previous.hasResults) {
      changes.push({ nctId, change: 'results posted', from: previous.status, to: status });
    }
    if (status !== previous.status) {
      const change =
        status === 'COMPLETED' ? 'completed' : status === 'WITHDRAWN' ? 'withdrawn' : 'status changed';
      changes.push({ nctId, change, from: previous.status, to: status });
    }
  }
  return changes;
}
