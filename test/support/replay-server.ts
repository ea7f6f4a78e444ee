/**
 * Replay-server helpers for source tests: real-shaped recordings built from the real fixtures, fast retry
 * policies, and a check of the request spacing the server measured.
 */

import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import type { HttpPolicy } from '#shared/sources/http.ts';
import { createSourcePorts } from '#shared/sources/ports.ts';
import type { Interaction } from '#shared/sources/replay/cassette.ts';
import type { ReceivedRequest, ReplayServer } from '#shared/sources/replay/server.ts';
import { ctgovQuery, pubmedTerm } from '#shared/sources/search-config.ts';
import type { SourcePorts } from '#shared/sources/search-source.ts';
import type { SearchWindow } from '#shared/sources/window.ts';
import { groupPeerSupportSearch } from '#test/support/group-peer-support.ts';
import { efetchSetParts } from './efetch-set.ts';
import { readFixture } from './source-fixtures.ts';

export type { Fault, FaultKind, ReceivedRequest, ReplayServer } from '#shared/sources/replay/server.ts';
export { startReplayServer } from '#shared/sources/replay/server.ts';

export const PUBMED_PATH = '/entrez/eutils';
export const CTGOV_PATH = '/api/v2';

/** Realistic shape, test-sized numbers: retries are quick, a stall of STALL_MS outlasts the timeout. */
export const FAST_POLICY: HttpPolicy = {
  requestsPerSecond: 40,
  timeoutMs: 1_000,
  retries: 4,
  minBackoffMs: 5,
  maxBackoffMs: 40,
  maxRetryAfterMs: 2_000,
  requestBudgetMs: 30_000,
  maxResponseBytes: 4 * 1024 * 1024,
};
export const STALL_MS = 2_000;

export function portsFor(
  server: ReplayServer,
  options: { policy?: HttpPolicy; batchSize?: number; pageSize?: number } = {},
): SourcePorts {
  const config = sourceConfigFromEnv({
    NCBI_EMAIL: 'tests@example.org',
    PUBMED_BASE_URL: `${server.baseUrl}${PUBMED_PATH}`,
    CTGOV_BASE_URL: `${server.baseUrl}${CTGOV_PATH}`,
  });
  return createSourcePorts(config, groupPeerSupportSearch, {
    pubmedPolicy: options.policy ?? FAST_POLICY,
    ctgovPolicy: options.policy ?? FAST_POLICY,
    ...(options.batchSize ? { pubmedBatchSize: options.batchSize } : {}),
    ...(options.pageSize ? { ctgovPageSize: options.pageSize } : {}),
  });
}

const PUBMED_FIXTURES = ['pubmed5.xml', 'pubmed6.xml', 'pubmed-29768149.xml', 'efetch.pubmedbook.xml'];

/** The real esearch answer (usehistory=y) with its Count and WebEnv replaced. */
export function esearchBody(count: number, webEnv: string): string {
  return readFixture('eutils/esearch.pubmed.xml')
    .replace(/<Count>\d+<\/Count><RetMax>\d+<\/RetMax>/, `<Count>${count}</Count><RetMax>0</RetMax>`)
    .replace(/<WebEnv>[^<]*<\/WebEnv>/, `<WebEnv>${webEnv}</WebEnv>`)
    .replace(/<IdList>[\s\S]*?<\/IdList>/, '<IdList></IdList>');
}

export interface PubmedRead {
  count: number;
  webEnv: string;
  /** Offset into the synthetic PMIDs, so two reads can hold different records. */
  offset?: number;
  /** How many records efetch really serves (default: count), for a history set efetch cannot fully return. */
  served?: number;
}

/**
 * One esearch key answered in turn by each read's count, and each read's efetch pages (real records, distinct
 * PMIDs) keyed by its WebEnv and retstart.
 */
export function pubmedRecording(window: SearchWindow, reads: PubmedRead[], batchSize: number): Interaction[] {
  const documents = PUBMED_FIXTURES.map((file) => readFixture(`pubmed/${file}`));
  const esearch: Interaction = {
    request: {
      method: 'POST',
      path: `${PUBMED_PATH}/esearch.fcgi`,
      params: {
        db: 'pubmed',
        term: pubmedTerm(groupPeerSupportSearch, window),
        usehistory: 'y',
        retmax: '0',
      },
    },
    responses: reads.map((read) => xml(esearchBody(read.count, read.webEnv))),
  };
  const efetches = reads.flatMap((read) => {
    const pages: Interaction[] = [];
    for (let retstart = 0; retstart < read.count; retstart += batchSize) {
      const size = Math.max(0, Math.min(batchSize, (read.served ?? read.count) - retstart));
      pages.push({
        request: {
          method: 'POST',
          path: `${PUBMED_PATH}/efetch.fcgi`,
          params: {
            db: 'pubmed',
            WebEnv: read.webEnv,
            query_key: '1',
            retstart: String(retstart),
            retmax: String(batchSize),
            retmode: 'xml',
          },
        },
        responses: [xml([...efetchSetParts(documents, size, (read.offset ?? 0) + retstart)].join(''))],
      });
    }
    return pages;
  });
  return [esearch, ...efetches];
}

/** The two real ClinicalTrials.gov search pages, chained by their own tokens, then an empty last page. */
export function ctgovRecording(window: SearchWindow, pageSize: number): Interaction[] {
  const first = readFixture('ctgov/search_phelan_limit5_20260811.json');
  const second = readFixture('ctgov/search_phelan_next_20260811.json');
  const params = {
    format: 'json',
    countTotal: 'true',
    pageSize: String(pageSize),
    ...ctgovQuery(groupPeerSupportSearch, window),
  };
  const page = (extra: Record<string, string>, body: string): Interaction => ({
    request: { method: 'GET', path: `${CTGOV_PATH}/studies`, params: { ...params, ...extra } },
    responses: [{ status: 200, headers: { 'content-type': 'application/json' }, body }],
  });
  return [
    page({}, first),
    page({ pageToken: (JSON.parse(first) as { nextPageToken: string }).nextPageToken }, second),
    page({ pageToken: (JSON.parse(second) as { nextPageToken: string }).nextPageToken }, '{"studies":[]}'),
  ];
}

function xml(body: string) {
  return { status: 200, headers: { 'content-type': 'text/xml; charset=UTF-8' }, body };
}

/** The most requests that arrived within any `windowMs` span. */
export function busiestWindow(requests: ReceivedRequest[], windowMs = 1_000): number {
  const times = requests.map((request) => request.at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
