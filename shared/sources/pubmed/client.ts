/**
 * PubMed through E-utilities: esearch with usehistory, then efetch POST batches from the history server.
 * An <ERROR> inside a 200 is a failure (retried, then a SourceError), never "zero results"; a window holding more
 * than esearch's 9,999 cap is split by date; a count that changes while paging re-reads the window.
 */
import { InputError, SourceError } from '#shared/errors.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { type HttpClient, RetryableError } from '../http.ts';
import { decodeEntities } from '../plain-text.ts';
import type { SearchProgress } from '../progress.ts';
import { type SearchWindow, splitWindow } from '../window.ts';
import { parsePubmedXml } from './parse.ts';

export interface PubmedSettings {
  /** E-utilities base, e.g. https://eutils.ncbi.nlm.nih.gov/entrez/eutils */
  baseUrl: string;
  tool: string;
  email?: string;
  apiKey?: string;
  batchSize: number;
  /** esearch cannot page past this many records: larger windows are split. */
  maxCount: number;
  /** How many times a window is read again when its count changed while paging. */
  maxRereads: number;
}

export const PUBMED_DEFAULTS = { batchSize: 500, maxCount: 9_999, maxRereads: 3 } as const;

export interface PubmedResult {
  records: BibRecord[];
  deleted: string[];
  /** Windows whose steady count efetch could not fully return: records PubMed counts but did not give. */
  shortfalls: string[];
}

interface SearchHit {
  count: number;
  webEnv: string;
  queryKey: string;
}

export function createPubmedClient(
  http: HttpClient,
  settings: PubmedSettings,
  report: (progress: Omit<SearchProgress, 'source' | 'requests'>) => void = () => {},
) {
  const identity = {
    tool: settings.tool,
    ...(settings.email ? { email: settings.email } : {}),
    ...(settings.apiKey ? { api_key: settings.apiKey } : {}),
  };

  async function esearch(term: string): Promise<SearchHit> {
    const body = await http.text(
      {
        method: 'POST',
        url: `${settings.baseUrl}/esearch.fcgi`,
        params: { db: 'pubmed', term, usehistory: 'y', retmax: '0', ...identity },
      },
      (text) => {
        checkComplete(text, 'eSearchResult');
        readSearchHit(text);
      },
    );
    const hit = readSearchHit(body);
    const warnings = searchWarnings(body);
    // PubMed drops a phrase it cannot find and searches the rest: the team must hear of it, the run goes on.
    if (warnings !== '') report({ records: 0, expected: hit.count, note: `esearch warns: ${warnings}` });
    return hit;
  }

  async function efetch(hit: SearchHit, retstart: number): Promise<PubmedResult> {
    let parsed: PubmedResult = { records: [], deleted: [], shortfalls: [] };
    await http.text(
      {
        method: 'POST',
        url: `${settings.baseUrl}/efetch.fcgi`,
        params: {
          db: 'pubmed',
          WebEnv: hit.webEnv,
          query_key: hit.queryKey,
          retstart: String(retstart),
          retmax: String(settings.batchSize),
          retmode: 'xml',
          ...identity,
        },
      },
      (text) => {
        checkComplete(text, 'PubmedArticleSet');
        try {
          parsed = { ...parsePubmedXml(text), shortfalls: [] };
        } catch (error) {
          // A body cut short or garbled on the way is worth asking for again.
          if (error instanceof InputError) throw new RetryableError(`efetch body unusable: ${error.message}`);
          throw error;
        }
      },
    );
    return parsed;
  }

  async function readWindow(
    term: (window: SearchWindow) => string,
    window: SearchWindow,
  ): Promise<PubmedResult> {
    let hit = await esearch(term(window));
    for (let read = 0; ; read += 1) {
      if (hit.count > settings.maxCount) return readSplit(term, window, hit.count);
      report({ records: 0, expected: hit.count });
      const pages: PubmedResult[] = [];
      let fetched = 0;
      for (let retstart = 0; retstart < hit.count; retstart += settings.batchSize) {
        const page = await efetch(hit, retstart);
        pages.push(page);
        fetched += page.records.length;
        report({ records: fetched, expected: hit.count });
      }
      const check = await esearch(term(window));
      const result = merge(pages);
      const stable = check.count === hit.count;
      if (stable && result.records.length === hit.count) return result;
      if (read === settings.maxRereads) {
        if (!stable) {
          throw new SourceError(
            'pubmed',
            `the count for ${window.from}..${window.until} kept changing over ${read + 1} reads (last ${hit.count} → ${check.count})`,
          );
        }
        // The count holds but efetch keeps returning another number of records: reading again cannot help, so
        // return what PubMed gives, and carry the shortfall out so the team is told, rather than block every later
        // run on this window.
        const shortfall = `PubMed counts ${hit.count} records for ${window.from}..${window.until} but efetch returned ${result.records.length} after ${read + 1} reads`;
        report({ records: result.records.length, expected: hit.count, note: shortfall });
        return { ...result, shortfalls: [...result.shortfalls, shortfall] };
      }
      report({
        records: fetched,
        expected: check.count,
        note: stable
          ? `efetch returned ${result.records.length} distinct records of ${hit.count}: re-reading ${window.from}..${window.until}`
          : `count changed while paging (${hit.count} → ${check.count}, fetched ${fetched}): re-reading ${window.from}..${window.until}`,
      });
      hit = check;
    }
  }

  async function readSplit(
    term: (window: SearchWindow) => string,
    window: SearchWindow,
    count: number,
  ): Promise<PubmedResult> {
    const halves = splitWindow(window);
    if (halves === undefined) {
      throw new SourceError(
        'pubmed',
        `${count} records on the single day ${window.from}: more than esearch's cap of ${settings.maxCount}`,
      );
    }
    report({
      records: 0,
      expected: count,
      note: `${count} > ${settings.maxCount}: splitting ${window.from}..${window.until} by date`,
    });
    const first = await readWindow(term, halves[0]);
    const second = await readWindow(term, halves[1]);
    return merge([first, second]);
  }

  return { esearch, efetch, readWindow };
}

/** Records of several pages or windows, each PMID once (a record can sit in two adjacent windows' overlap). */
export function merge(results: PubmedResult[]): PubmedResult {
  const records = new Map<string, BibRecord>();
  const deleted = new Set<string>();
  for (const result of results) {
    for (const record of result.records) if (!records.has(record.id)) records.set(record.id, record);
    for (const pmid of result.deleted) deleted.add(pmid);
  }
  return {
    records: [...records.values()],
    deleted: [...deleted],
    shortfalls: results.flatMap((r) => r.shortfalls),
  };
}

function checkComplete(body: string, root: string): void {
  const error = /<ERROR>([\s\S]*?)<\/ERROR>/.exec(body);
  if (error) throw new RetryableError(`E-utilities answered with an error: ${(error[1] ?? '').trim()}`);
  if (!new RegExp(`</${root}>\\s*$`).test(body) && !new RegExp(`<${root}\\s*/>\\s*$`).test(body)) {
    throw new RetryableError(`incomplete answer: no closing </${root}>`);
  }
}

/** ErrorList/WarningList entries, e.g. `PhraseNotFound: "peer supported"[tiab:~3]`. */
export function searchWarnings(body: string): string {
  const lists = body.match(/<(ErrorList|WarningList)>[\s\S]*?<\/\1>/g) ?? [];
  return lists
    .flatMap((list) => [...list.matchAll(/<(\w+)>([^<]*)<\/\1>/g)])
    .map(([, kind, value]) => `${kind}: ${decodeEntities(value ?? '').trim()}`)
    .join('; ');
}

function readSearchHit(body: string): SearchHit {
  const count = /<eSearchResult>\s*<Count>(\d+)<\/Count>/.exec(body)?.[1];
  const queryKey = /<QueryKey>(\d+)<\/QueryKey>/.exec(body)?.[1] ?? '';
  const webEnv = /<WebEnv>([^<]+)<\/WebEnv>/.exec(body)?.[1] ?? '';
  if (count === undefined || (Number(count) > 0 && (queryKey === '' || webEnv === ''))) {
    throw new RetryableError('esearch answer without Count, QueryKey and WebEnv');
  }
  return { count: Number(count), queryKey, webEnv };
}
