/**
 * Builds the source ports from configuration: one HTTP client per source with the polite defaults
 * (PubMed 3 requests/s, 10 with an API key; ClinicalTrials.gov about 50 a minute).
 */

import type { SourceConfig } from './config.ts';
import { CTGOV_DEFAULTS } from './ctgov/client.ts';
import { createHttpClient, type HttpDeps, type HttpPolicy } from './http.ts';
import type { ProgressListener } from './progress.ts';
import { PUBMED_DEFAULTS } from './pubmed/client.ts';
import type { SearchConfig } from './search-config.ts';
import type { SourcePorts } from './search-source.ts';

const PATIENT: Omit<HttpPolicy, 'requestsPerSecond'> = {
  timeoutMs: 60_000,
  retries: 5,
  minBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 120_000,
  // Room for a couple of slow attempts and the longest Retry-After, well inside a poller's 10-minute timeout.
  requestBudgetMs: 5 * 60_000,
  // A full page is 10-30 MB (500 PubMed records, 200 registrations); a 512 MB function must never hold much more.
  maxResponseBytes: 64 * 1024 * 1024,
};

export function pubmedPolicy(config: Pick<SourceConfig, 'ncbiApiKey'>): HttpPolicy {
  return { ...PATIENT, requestsPerSecond: config.ncbiApiKey ? 10 : 3 };
}

export const CTGOV_POLICY: HttpPolicy = { ...PATIENT, requestsPerSecond: 50 / 60 };

export interface PortOptions {
  onProgress?: ProgressListener;
  /** Overrides for tests: faster policies, a fetch, a clock. */
  pubmedPolicy?: HttpPolicy;
  ctgovPolicy?: HttpPolicy;
  http?: HttpDeps;
  pubmedBatchSize?: number;
  ctgovPageSize?: number;
}

export function createSourcePorts(
  config: SourceConfig,
  search: SearchConfig,
  options: PortOptions = {},
): SourcePorts {
  return {
    search,
    pubmed: {
      http: createHttpClient('pubmed', options.pubmedPolicy ?? pubmedPolicy(config), options.http),
      settings: {
        baseUrl: config.pubmedBaseUrl,
        tool: config.ncbiTool,
        ...(config.ncbiEmail ? { email: config.ncbiEmail } : {}),
        ...(config.ncbiApiKey ? { apiKey: config.ncbiApiKey } : {}),
        ...PUBMED_DEFAULTS,
        ...(options.pubmedBatchSize ? { batchSize: options.pubmedBatchSize } : {}),
      },
    },
    ctgov: {
      http: createHttpClient('ctgov', options.ctgovPolicy ?? CTGOV_POLICY, options.http),
      settings: {
        baseUrl: config.ctgovBaseUrl,
        ...CTGOV_DEFAULTS,
        ...(options.ctgovPageSize ? { pageSize: options.ctgovPageSize } : {}),
      },
    },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}
