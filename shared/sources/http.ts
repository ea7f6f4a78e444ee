/**
 * The one way sources talk HTTP: a client-side rate limit, a timeout covering headers and body, and p-retry with
 * exponential backoff and jitter on 429, 5xx, resets, timeouts and bodies that arrive incomplete. A Retry-After
 * header is honoured before the next attempt. Failures that persist become a SourceError.
 */
import pRetry, { AbortError } from 'p-retry';
import { messageOf, SourceError } from '#shared/errors.ts';

export interface HttpPolicy {
  requestsPerSecond: number;
  timeoutMs: number;
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** The longest Retry-After the client will wait; longer ones are capped (and still retried). */
  maxRetryAfterMs: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Query parameters for GET, an application/x-www-form-urlencoded body for POST. */
  params: Record<string, string>;
}

export type HttpEvent =
  | { type: 'request'; request: HttpRequest; attempt: number }
  | { type: 'retry'; request: HttpRequest; attempt: number; reason: string; waitMs: number };

export interface HttpClient {
  /** The body of a successful answer, after `check` accepted it (check throws RetryableError to ask again). */
  text(request: HttpRequest, check?: (body: string) => void): Promise<string>;
}

/** A failure worth another attempt: the same request may well succeed. */
export class RetryableError extends Error {
  override name = 'RetryableError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface HttpDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onEvent?: (event: HttpEvent) => void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Spaces request starts at least 1/rate apart (with a small margin for network jitter), so no one-second window
 * ever holds more than `requestsPerSecond` requests.
 */
export function rateLimiter(
  requestsPerSecond: number,
  now: () => number = performance.now.bind(performance),
  wait = sleep,
) {
  const spacing = (1000 / requestsPerSecond) * 1.05;
  let next = Number.NEGATIVE_INFINITY;
  return async function slot(): Promise<void> {
    const at = Math.max(now(), next);
    next = at + spacing;
    const delay = at - now();
    if (delay > 0) await wait(delay);
  };
}

export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function describeRequest(request: HttpRequest): string {
  const path = new URL(request.url).pathname;
  return `${request.method} ${path}`;
}

export function createHttpClient(source: string, policy: HttpPolicy, deps: HttpDeps = {}): HttpClient {
  const doFetch = deps.fetch ?? fetch;
  const wait = deps.sleep ?? sleep;
  const slot = rateLimiter(policy.requestsPerSecond, deps.now, wait);

  async function attempt(request: HttpRequest, check: ((body: string) => void) | undefined): Promise<string> {
    await slot();
    const form = new URLSearchParams(request.params).toString();
    const url = request.method === 'GET' && form !== '' ? `${request.url}?${form}` : request.url;
    let response: Response;
    let body: string;
    try {
      const signal = AbortSignal.timeout(policy.timeoutMs);
      response = await doFetch(url, {
        method: request.method,
        signal,
        ...(request.method === 'POST'
          ? { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
          : {}),
      });
      body = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new RetryableError(
        timedOut ? `no complete answer within ${policy.timeoutMs} ms` : networkMessage(error),
      );
    }
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(
        `HTTP ${response.status}`,
        parseRetryAfter(response.headers.get('retry-after'), Date.now()),
      );
    }
    if (response.status >= 400) {
      throw new AbortError(
        new SourceError(
          source,
          `${describeRequest(request)} answered HTTP ${response.status}: ${body.slice(0, 200)}`,
        ),
      );
    }
    check?.(body);
    return body;
  }

  return {
    async text(request, check) {
      let attemptNumber = 0;
      try {
        return await pRetry(
          () => {
            attemptNumber += 1;
            deps.onEvent?.({ type: 'request', request, attempt: attemptNumber });
            return attempt(request, check);
          },
          {
            retries: policy.retries,
            factor: 2,
            minTimeout: policy.minBackoffMs,
            maxTimeout: policy.maxBackoffMs,
            randomize: true,
            shouldRetry: ({ error }) => error instanceof RetryableError,
            onFailedAttempt: async ({ error, attemptNumber: failed, retriesLeft }) => {
              if (!(error instanceof RetryableError) || retriesLeft === 0) return;
              const waitMs = Math.min(error.retryAfterMs ?? 0, policy.maxRetryAfterMs);
              deps.onEvent?.({ type: 'retry', request, attempt: failed, reason: error.message, waitMs });
              if (waitMs > 0) await wait(waitMs);
            },
          },
        );
      } catch (error) {
        if (error instanceof SourceError) throw error;
        throw new SourceError(
          source,
          `${describeRequest(request)} failed after ${attemptNumber} attempt(s): ${messageOf(error)}`,
          { cause: error },
        );
      }
    },
  };
}

function networkMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${messageOf(error)}${cause}`;
}
