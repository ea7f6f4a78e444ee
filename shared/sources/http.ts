/**
 * The one way sources talk HTTP: a client-side rate limit, a timeout per attempt covering headers and body, and
 * p-retry with exponential backoff and jitter on 429, 5xx, resets, timeouts and bodies that arrive incomplete (a
 * Retry-After header sets the least wait). Failures that persist become a SourceError. p-retry runs the loop and
 * counts the attempts; the wait before each retry is this client's own, taken in p-retry's onFailedAttempt, so it
 * is known, and checked against the time left, before it is scheduled (p-retry itself never sleeps).
 *
 * Hardened against a source that misbehaves or a network that lies:
 * - redirects are never followed to another origin (nothing, least of all a POST body with the NCBI API key, is
 *   sent there) and a POST is never re-sent on a redirect; a GET may follow a few same-origin redirects;
 * - an answer's body is counted as it streams, after decompression, and the read is aborted past a size cap;
 * - every request has a total time budget, and the caller may give a deadline (a poll's remaining time): no
 *   attempt starts, no attempt runs and no wait is scheduled past either, and running out is an OutOfTimeError;
 * - a host name that does not resolve fails at once, naming the host: retrying cannot fix a wrong base URL.
 */
import pRetry, { AbortError } from 'p-retry';
import { messageOf, OutOfTimeError, SourceError } from '#shared/errors.ts';

export interface HttpPolicy {
  requestsPerSecond: number;
  /** One attempt: headers and the whole body. */
  timeoutMs: number;
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** The longest Retry-After the client will wait; longer ones are capped (and still retried). */
  maxRetryAfterMs: number;
  /** Every attempt and wait of one request together; past it the request fails. */
  requestBudgetMs: number;
  /** The most bytes one answer may hold once decompressed; a larger one is refused while it streams. */
  maxResponseBytes: number;
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

/**
 * How many milliseconds the caller's run may still take (a poll's deadline): the client starts no attempt and
 * schedules no wait that would end later. Without one, only the request's own budget applies.
 */
export type RemainingTime = () => number;

export interface HttpClient {
  /**
   * The body of a successful answer, after `check` accepted it (check throws RetryableError to ask again), within
   * `remainingMs` when given.
   */
  text(request: HttpRequest, check?: (body: string) => void, remainingMs?: RemainingTime): Promise<string>;
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
  /** A number in [0, 1) for the backoff's jitter. */
  random?: () => number;
  onEvent?: (event: HttpEvent) => void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Statuses whose Location names where the answer is; 304 and 300 are not redirects to follow. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Same-origin GET redirects followed in one attempt before the answer counts as a loop. */
const MAX_REDIRECTS = 5;
/** getaddrinfo codes meaning the name does not resolve (now, or at all). */
const DNS_FAILURES: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_NONAME: 'no such host',
  EAI_AGAIN: 'the DNS lookup failed for now',
  EAI_FAIL: 'the DNS lookup failed',
  EAI_NODATA: 'no address for the host',
};

/**
 * Spaces request starts at least 1/rate apart (with a small margin for network jitter), so no one-second window
 * ever holds more than `requestsPerSecond` requests. A slot that would only come after `withinMs` is not taken
 * (false), so a caller short of time is not kept waiting for a request it could not finish.
 */
export function rateLimiter(
  requestsPerSecond: number,
  now: () => number = performance.now.bind(performance),
  wait = sleep,
) {
  const spacing = (1000 / requestsPerSecond) * 1.05;
  let next = Number.NEGATIVE_INFINITY;
  return async function slot(withinMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const at = Math.max(now(), next);
    const delay = at - now();
    if (delay >= withinMs) return false;
    next = at + spacing;
    if (delay > 0) await wait(delay);
    return true;
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

/**
 * p-retry's schedule, computed here so the jitter can be injected and the wait checked before it is taken:
 * min × 2^(n−1), times a random factor in [1, 2), at most max.
 */
export function backoffMs(policy: HttpPolicy, failedAttempt: number, random: () => number): number {
  const base = policy.minBackoffMs * 2 ** (failedAttempt - 1);
  return Math.min(Math.round(base * (1 + random())), policy.maxBackoffMs);
}

export function createHttpClient(source: string, policy: HttpPolicy, deps: HttpDeps = {}): HttpClient {
  const doFetch = deps.fetch ?? fetch;
  const wait = deps.sleep ?? sleep;
  const now = deps.now ?? performance.now.bind(performance);
  const random = deps.random ?? Math.random;
  const slot = rateLimiter(policy.requestsPerSecond, now, wait);

  /** One attempt, with `budgetMs` left of the time allowed: follows safe redirects, reads a capped body. */
  async function attempt(
    request: HttpRequest,
    check: ((body: string) => void) | undefined,
    budgetMs: number,
    outOfTime: (why: string) => OutOfTimeError,
  ): Promise<string> {
    const cutShortByBudget = budgetMs < policy.timeoutMs;
    const attemptMs = Math.max(1, Math.floor(Math.min(policy.timeoutMs, budgetMs)));
    const signal = AbortSignal.timeout(attemptMs);
    const form = new URLSearchParams(request.params).toString();
    let url = request.method === 'GET' && form !== '' ? `${request.url}?${form}` : request.url;
    let response: Response;
    let body: string;
    try {
      for (let redirects = 0; ; redirects += 1) {
        response = await doFetch(url, {
          method: request.method,
          signal,
          // Never let fetch follow a redirect itself: it would re-send a POST body to wherever it is told.
          redirect: 'manual',
          ...(request.method === 'POST'
            ? { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
            : {}),
        });
        // A fetch that hides redirects (an 'opaqueredirect' with status 0) must not pass for an empty answer.
        if (response.type === 'opaqueredirect' || response.status === 0) {
          throw new SourceError(
            source,
            `${describeRequest(request)} was redirected where it cannot be seen: refused`,
          );
        }
        if (!REDIRECT_STATUSES.has(response.status)) break;
        await discard(response);
        url = redirectTarget(source, request, url, response, redirects);
      }
      if (response.status === 429 || response.status >= 500) {
        await discard(response);
        throw new RetryableError(
          `HTTP ${response.status}`,
          parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        );
      }
      body = await cappedText(response, policy.maxResponseBytes, () =>
        bodyTooLarge(source, request, policy.maxResponseBytes),
      );
    } catch (error) {
      if (error instanceof RetryableError || error instanceof SourceError) throw error;
      // The signal, not the error, says it was the clock: a body cut off mid-read rejects with other errors.
      if (signal.aborted) {
        if (cutShortByBudget) throw outOfTime(`no complete answer in the ${attemptMs} ms that were left`);
        throw new RetryableError(`no complete answer within ${policy.timeoutMs} ms`);
      }
      const unresolved = dnsFailure(error);
      if (unresolved) {
        const host = unresolved.hostname ?? new URL(url).hostname;
        throw new SourceError(
          source,
          `${describeRequest(request)}: cannot resolve host ${host} (${unresolved.code}: ${DNS_FAILURES[unresolved.code]}); not retried, check the base URL and the network's DNS`,
          { cause: error },
        );
      }
      throw new RetryableError(networkMessage(error));
    }
    // Only a 2xx is an answer: a 4xx, or a 3xx that is not a redirect to follow (300, 304...), says the request
    // itself was not answered, and asking again would not change that.
    if (response.status < 200 || response.status >= 300) {
      throw new SourceError(
        source,
        `${describeRequest(request)} answered HTTP ${response.status}: ${body.slice(0, 200)}`,
      );
    }
    check?.(body);
    return body;
  }

  return {
    async text(request, check, remainingMs = () => Number.POSITIVE_INFINITY) {
      const started = now();
      const requestLeft = () => policy.requestBudgetMs - (now() - started);
      // An unreadable remaining time (NaN) counts as none: better to stop than to run on blind.
      const runLeft = () => {
        const ms = remainingMs();
        return Number.isNaN(ms) ? 0 : ms;
      };
      const left = () => Math.min(requestLeft(), runLeft());
      const outOfTime = (why: string, cause?: unknown) => {
        const whose =
          runLeft() <= requestLeft()
            ? "the run's time budget"
            : `the request's time budget of ${policy.requestBudgetMs} ms`;
        return new OutOfTimeError(
          source,
          `${describeRequest(request)} stopped before ${whose} ran out: ${why}`,
          cause === undefined ? undefined : { cause },
        );
      };
      /** One attempt inside the time left; any failure but a RetryableError ends the request as a SourceError. */
      const once = async (attemptNumber: number) => {
        try {
          if (left() <= 0) throw outOfTime('no time left for another attempt');
          if (!(await slot(left()))) throw outOfTime('the rate limit allows the next request only later');
          const budgetMs = left();
          if (budgetMs <= 0) throw outOfTime('no time left for another attempt');
          deps.onEvent?.({ type: 'request', request, attempt: attemptNumber });
          return await attempt(request, check, budgetMs, outOfTime);
        } catch (error) {
          if (error instanceof RetryableError) throw error;
          // p-retry rejects with an AbortError's own error at once, without retrying or calling onFailedAttempt.
          throw new AbortError(
            error instanceof SourceError
              ? error
              : new SourceError(
                  source,
                  `${describeRequest(request)} failed after ${attemptNumber} attempt(s): ${messageOf(error)}`,
                  { cause: error },
                ),
          );
        }
      };
      return await pRetry(once, {
        retries: policy.retries,
        // p-retry never sleeps: the wait (backoff or Retry-After) is taken in onFailedAttempt, once it is known
        // to end in time.
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: ({ error }) => error instanceof RetryableError,
        // Whatever this throws is what the request rejects with, and no further attempt is made.
        onFailedAttempt: async ({ error: failure, attemptNumber, retriesLeft }) => {
          if (!(failure instanceof RetryableError)) return;
          if (retriesLeft === 0) {
            throw new SourceError(
              source,
              `${describeRequest(request)} failed after ${attemptNumber} attempt(s): ${failure.message}`,
              { cause: failure },
            );
          }
          const backoff = backoffMs(policy, attemptNumber, random);
          const retryAfter = Math.min(failure.retryAfterMs ?? 0, policy.maxRetryAfterMs);
          const waitMs = Math.max(backoff, retryAfter);
          const available = left();
          if (waitMs >= available) {
            const asked = retryAfter >= backoff ? 'Retry-After' : 'backoff';
            throw outOfTime(
              `attempt ${attemptNumber} failed (${failure.message}) and the next could start only after a ${waitMs} ms wait (${asked}), with ${Math.max(0, Math.floor(available))} ms left`,
              failure,
            );
          }
          deps.onEvent?.({ type: 'retry', request, attempt: attemptNumber, reason: failure.message, waitMs });
          await wait(waitMs);
        },
      });
    },
  };
}

/** Where a redirect may be followed to, or a SourceError (never retried) saying why it is refused. */
function redirectTarget(
  source: string,
  request: HttpRequest,
  from: string,
  response: Response,
  followed: number,
): string {
  const refused = (why: string) =>
    new SourceError(source, `${describeRequest(request)} answered HTTP ${response.status}: ${why}`);
  const location = response.headers.get('location');
  if (location === null) throw refused('a redirect without a Location');
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw refused('a redirect to an unreadable Location');
  }
  const origin = new URL(from).origin;
  if (target.origin !== origin) {
    throw refused(
      `a redirect from ${origin} to another origin, ${target.origin}: refused, nothing sent there`,
    );
  }
  // A POST redirected would have to be re-sent (307/308) or turned into a GET without its parameters
  // (301-303): either way the answer would not be the one asked for.
  if (request.method !== 'GET') throw refused(`a redirect of a ${request.method}: refused, not re-sent`);
  if (followed >= MAX_REDIRECTS) throw refused(`more than ${MAX_REDIRECTS} redirects`);
  return target.href;
}

/**
 * The body as text, counting its bytes as they stream in (after fetch has decompressed them), and giving up
 * the moment the count passes `limit`: a small compressed answer that inflates to gigabytes is never held.
 */
async function cappedText(response: Response, limit: number, tooLarge: () => Error): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  // Content-Length counts the encoded bytes: only without an encoding is it the size of the text.
  if (response.headers.get('content-encoding') === null && declared > limit) {
    await discard(response);
    throw tooLarge();
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function bodyTooLarge(source: string, request: HttpRequest, limit: number): SourceError {
  return new SourceError(
    source,
    `${describeRequest(request)}: the answer is larger than the ${limit}-byte cap (counted after decompression); reading stopped, not retried`,
  );
}

/** Lets go of a body that will not be read, so its connection is not held open. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

interface DnsFailure {
  code: string;
  hostname?: string;
}

/**
 * fetch wraps a failed lookup as TypeError('fetch failed') with the getaddrinfo error somewhere among its causes
 * (an AggregateError's errors included).
 */
function dnsFailure(error: unknown, depth = 0): DnsFailure | undefined {
  if (!(error instanceof Error) || depth > 5) return undefined;
  const { code, hostname } = error as Error & { code?: unknown; hostname?: unknown };
  if (typeof code === 'string' && code in DNS_FAILURES) {
    return { code, ...(typeof hostname === 'string' ? { hostname } : {}) };
  }
  const inner = error instanceof AggregateError ? [...error.errors, error.cause] : [error.cause];
  for (const candidate of inner) {
    const found = dnsFailure(candidate, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function networkMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${messageOf(error)}${cause}`;
}
