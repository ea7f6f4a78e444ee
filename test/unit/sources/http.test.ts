import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError, OutOfTimeError, SourceError } from '#shared/errors.ts';
import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import {
  createHttpClient,
  type HttpPolicy,
  type HttpRequest,
  parseRetryAfter,
  rateLimiter,
} from '#shared/sources/http.ts';
import { CTGOV_POLICY, pubmedPolicy } from '#shared/sources/ports.ts';
import { matches, requestKey } from '#shared/sources/replay/cassette.ts';

describe('rateLimiter', () => {
  it('spaces request starts so no second holds more than the rate', async () => {
    let clock = 0;
    const starts: number[] = [];
    const slot = rateLimiter(
      3,
      () => clock,
      async (ms) => {
        clock += ms;
      },
    );
    for (let index = 0; index < 7; index += 1) {
      await slot();
      starts.push(clock);
    }
    for (let index = 3; index < starts.length; index += 1) {
      expect((starts[index] as number) - (starts[index - 3] as number)).toBeGreaterThanOrEqual(1000);
    }
  });

  it('lets the first request go at once', async () => {
    let waited = 0;
    const slot = rateLimiter(
      3,
      () => 0,
      async (ms) => {
        waited += ms;
      },
    );
    await slot();
    expect(waited).toBe(0);
  });

  it('does not take a slot that would only come after the caller runs out of time', async () => {
    let clock = 0;
    const slot = rateLimiter(
      2,
      () => clock,
      async (ms) => {
        clock += ms;
      },
    );
    expect(await slot(100)).toBe(true);
    // The next slot is 525 ms away: a caller with 500 ms left is refused at once, one with 600 ms waits for it.
    expect(await slot(500)).toBe(false);
    expect(clock).toBe(0);
    expect(await slot(600)).toBe(true);
    expect(clock).toBeCloseTo(525);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 13:00:05 GMT', Date.parse('2026-11-21T13:00:00Z'))).toBe(5000);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('recording keys', () => {
  it('sort the parameters and leave out tool, email and api_key', () => {
    expect(
      requestKey('post', '/esearch.fcgi', {
        term: 'a b',
        db: 'pubmed',
        email: 'x@y.z',
        api_key: 'k',
        tool: 't',
      }),
    ).toBe('POST /esearch.fcgi?db=pubmed&term=a%20b');
  });

  it('match a "*" value to anything but still require the same parameter names', () => {
    const recorded = { method: 'GET', path: '/studies', params: { 'query.term': '*', pageSize: '5' } };
    expect(matches(recorded, 'GET', '/studies', { 'query.term': 'peer', pageSize: '5', email: 'x' })).toBe(
      true,
    );
    expect(matches(recorded, 'GET', '/studies', { 'query.term': 'peer', pageSize: '6' })).toBe(false);
    expect(
      matches(recorded, 'GET', '/studies', { 'query.term': 'peer', pageSize: '5', pageToken: 't' }),
    ).toBe(false);
  });
});

describe('sourceConfigFromEnv', () => {
  it('defaults the tool name and the real base URLs', () => {
    expect(sourceConfigFromEnv({})).toEqual({
      ncbiTool: 'living-review',
      pubmedBaseUrl: 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils',
      ctgovBaseUrl: 'https://clinicaltrials.gov/api/v2',
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => sourceConfigFromEnv({ NCBI_EMAIL: 'not an address' })).toThrow(ConfigError);
    expect(() => sourceConfigFromEnv({ PUBMED_BASE_URL: 'nowhere' })).toThrow(/PUBMED_BASE_URL/);
  });
});

describe('source politeness defaults', () => {
  it('allows PubMed 3 requests a second, 10 with an API key, and ClinicalTrials.gov about 50 a minute', () => {
    expect(pubmedPolicy({}).requestsPerSecond).toBe(3);
    expect(pubmedPolicy({ ncbiApiKey: 'abc123' }).requestsPerSecond).toBe(10);
    expect(CTGOV_POLICY.requestsPerSecond * 60).toBeCloseTo(50);
  });
});

const POLICY: HttpPolicy = {
  requestsPerSecond: 1_000,
  timeoutMs: 60_000,
  retries: 5,
  minBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 120_000,
  requestBudgetMs: 300_000,
  maxResponseBytes: 1024 * 1024,
};

const ESEARCH: HttpRequest = {
  method: 'POST',
  url: 'https://eutils.example.org/entrez/eutils/esearch.fcgi',
  params: { db: 'pubmed', term: 'peer support', api_key: 'secret-key', email: 'team@example.org' },
};
const STUDIES: HttpRequest = {
  method: 'GET',
  url: 'https://registry.example.org/api/v2/studies',
  params: { format: 'json' },
};

interface SentRequest {
  url: string;
  method: string;
  body: string | undefined;
  redirect: RequestInit['redirect'];
}

/**
 * A client on a fake network and a clock that moves only when the client waits: `answer` plays the server, every
 * request is kept, and every wait the client schedules is kept too.
 */
function harness(
  answer: (sent: SentRequest, init: RequestInit) => Response | Promise<Response>,
  policy: Partial<HttpPolicy> = {},
) {
  let clock = 0;
  const sent: SentRequest[] = [];
  const waits: number[] = [];
  const fakeFetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const request: SentRequest = {
      url: String(input),
      method: init.method ?? 'GET',
      body: typeof init.body === 'string' ? init.body : undefined,
      redirect: init.redirect,
    };
    sent.push(request);
    return answer(request, init);
  }) as typeof fetch;
  const client = createHttpClient(
    'pubmed',
    { ...POLICY, ...policy },
    {
      fetch: fakeFetch,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      random: () => 0,
    },
  );
  return { client, sent, waits, now: () => clock };
}

function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error,
  );
}

describe('redirects', () => {
  it('refuses a redirect to another origin: nothing is sent there, the body is not re-sent, no retry', async () => {
    const { client, sent } = harness(
      () =>
        new Response(null, { status: 307, headers: { location: 'https://collector.example.net/esearch' } }),
    );
    const error = await failureOf(client.text(ESEARCH));
    expect(error).toBeInstanceOf(SourceError);
    expect(error).not.toBeInstanceOf(OutOfTimeError);
    expect((error as Error).message).toMatch(
      /POST \/entrez\/eutils\/esearch.fcgi answered HTTP 307: a redirect from https:\/\/eutils.example.org to another origin, https:\/\/collector.example.net: refused/,
    );
    expect(sent).toHaveLength(1);
    expect(sent.every((request) => new URL(request.url).host === 'eutils.example.org')).toBe(true);
    // fetch itself must not follow: were it allowed to, it would send the body on before the client saw a 307.
    expect(sent[0]?.redirect).toBe('manual');
  });

  it.each([301, 302, 303, 307, 308])(
    'refuses a %i of a POST even within the origin, never re-sending it',
    async (status) => {
      const { client, sent } = harness(
        () => new Response(null, { status, headers: { location: '/entrez/eutils/esearch.fcgi?moved=1' } }),
      );
      await expect(client.text(ESEARCH)).rejects.toThrow(/a redirect of a POST: refused, not re-sent/);
      expect(sent).toHaveLength(1);
    },
  );

  it('follows a same-origin redirect of a GET and answers from its target', async () => {
    const { client, sent } = harness((request) =>
      request.url.includes('/v2/studies')
        ? new Response(null, { status: 301, headers: { location: '/api/v2.1/studies?format=json' } })
        : new Response('{"studies":[]}'),
    );
    expect(await client.text(STUDIES)).toBe('{"studies":[]}');
    expect(sent.map((request) => request.url)).toEqual([
      'https://registry.example.org/api/v2/studies?format=json',
      'https://registry.example.org/api/v2.1/studies?format=json',
    ]);
  });

  it('refuses a GET redirect that leaves the origin, including a change of scheme', async () => {
    const { client, sent } = harness(
      () =>
        new Response(null, {
          status: 302,
          headers: { location: 'http://registry.example.org/api/v2/studies' },
        }),
    );
    await expect(client.text(STUDIES)).rejects.toThrow(/to another origin, http:\/\/registry.example.org/);
    expect(sent).toHaveLength(1);
  });

  it('gives up on a redirect loop within the origin', async () => {
    const { client, sent } = harness(
      () => new Response(null, { status: 302, headers: { location: '/api/v2/studies' } }),
    );
    await expect(client.text(STUDIES)).rejects.toThrow(/more than 5 redirects/);
    expect(sent).toHaveLength(6);
  });

  it('refuses a protocol-relative Location that leaves the origin', async () => {
    const { client, sent } = harness(
      () => new Response(null, { status: 302, headers: { location: '//collector.example.net/studies' } }),
    );
    await expect(client.text(STUDIES)).rejects.toThrow(/to another origin, https:\/\/collector.example.net/);
    expect(sent).toHaveLength(1);
  });

  it('refuses a redirect that fetch hides (an opaque redirect), rather than reading it as an empty answer', async () => {
    const opaque = {
      type: 'opaqueredirect',
      status: 0,
      headers: new Headers(),
      body: null,
    } as unknown as Response;
    const { client } = harness(() => opaque);
    await expect(client.text(ESEARCH)).rejects.toThrow(/was redirected where it cannot be seen: refused/);
  });

  it.each([300, 304])('reads a %i as no answer at all, never as an empty one', async (status) => {
    const { client, sent } = harness(() => new Response(null, { status }));
    await expect(client.text(ESEARCH)).rejects.toThrow(new RegExp(`answered HTTP ${status}`));
    expect(sent).toHaveLength(1);
  });

  it('refuses a redirect without a Location', async () => {
    const { client } = harness(() => new Response(null, { status: 302 }));
    await expect(client.text(STUDIES)).rejects.toThrow(/a redirect without a Location/);
  });
});

/** A body that produces its bytes only when read, counting how many were ever produced. */
function lazyBody(chunks: number, chunkBytes: number) {
  let produced = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= chunks * chunkBytes) return controller.close();
      produced += chunkBytes;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
  });
  return { stream, produced: () => produced };
}

describe('the response size cap', () => {
  const CAP = POLICY.maxResponseBytes;

  it('stops reading a compressed answer once its inflated bytes pass the cap, never holding it whole', async () => {
    // 64 MiB of zeros compress to about 64 KB: under the cap on the wire, 64 times over it once inflated.
    const inflated = 64 * CAP;
    const compressed = gzipSync(Buffer.alloc(inflated));
    expect(compressed.length).toBeLessThan(CAP);
    let inflatedSoFar = 0;
    const counting = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        inflatedSoFar += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const { client, sent } = harness(() => {
      // What fetch hands over for a gzip answer: the body decompressed as it is read.
      const body = new Blob([compressed])
        .stream()
        .pipeThrough(new DecompressionStream('gzip'))
        .pipeThrough(counting);
      return new Response(body, { headers: { 'content-type': 'text/xml' } });
    });
    const error = await failureOf(client.text(STUDIES));
    expect((error as Error).message).toMatch(
      /GET \/api\/v2\/studies: the answer is larger than the 1048576-byte cap \(counted after decompression\)/,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect(sent).toHaveLength(1);
    // Inflation stopped near the cap (a chunk or two of read-ahead), far short of the whole 64 MiB.
    expect(inflatedSoFar).toBeGreaterThan(CAP);
    expect(inflatedSoFar).toBeLessThan(2 * CAP);
  });

  it('counts bytes as they stream when no length is announced', async () => {
    const body = lazyBody(1_000, 64 * 1024);
    const { client, sent } = harness(() => new Response(body.stream));
    await expect(client.text(STUDIES)).rejects.toThrow(/larger than the 1048576-byte cap/);
    expect(body.produced()).toBeLessThanOrEqual(CAP + 2 * 64 * 1024);
    expect(sent).toHaveLength(1);
  });

  it('accepts an answer of exactly the cap and refuses one byte more', async () => {
    const exact = harness(() => new Response('a'.repeat(CAP)));
    expect(await exact.client.text(STUDIES)).toHaveLength(CAP);
    const over = harness(() => new Response('a'.repeat(CAP + 1)));
    await expect(over.client.text(STUDIES)).rejects.toThrow(/larger than the 1048576-byte cap/);
  });

  it('refuses an announced length over the cap without reading the body', async () => {
    const body = lazyBody(100, 64 * 1024);
    const { client } = harness(
      () => new Response(body.stream, { headers: { 'content-length': String(100 * 64 * 1024) } }),
    );
    await expect(client.text(STUDIES)).rejects.toThrow(/larger than the 1048576-byte cap/);
    expect(body.produced()).toBeLessThanOrEqual(64 * 1024);
  });

  it('caps the body of an error answer too', async () => {
    const body = lazyBody(1_000, 64 * 1024);
    const { client } = harness(() => new Response(body.stream, { status: 404 }));
    await expect(client.text(STUDIES)).rejects.toThrow(/larger than the 1048576-byte cap/);
  });
});

describe('time budgets', () => {
  const unavailable = () => new Response('busy', { status: 503 });

  it('fails at once, saying why, when a Retry-After would end past the deadline', async () => {
    const { client, sent, waits } = harness(
      () => new Response('', { status: 429, headers: { 'retry-after': '120' } }),
    );
    const error = await failureOf(client.text(ESEARCH, undefined, () => 10_000));
    expect(error).toBeInstanceOf(OutOfTimeError);
    expect((error as Error).message).toMatch(
      /POST \/entrez\/eutils\/esearch.fcgi stopped before the run's time budget ran out: attempt 1 failed \(HTTP 429\) and the next could start only after a 120000 ms wait \(Retry-After\), with 10000 ms left/,
    );
    expect(sent).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('names the backoff when it, not a shorter Retry-After, is what would pass the deadline', async () => {
    const { client, waits } = harness(
      () => new Response('', { status: 429, headers: { 'retry-after': '0' } }),
    );
    await expect(client.text(ESEARCH, undefined, () => 500)).rejects.toThrow(
      /the next could start only after a 1000 ms wait \(backoff\), with 500 ms left/,
    );
    expect(waits).toEqual([]);
  });

  it('waits out a Retry-After that ends before the deadline', async () => {
    let answered = 0;
    const { client, waits } = harness(() =>
      answered++ === 0
        ? new Response('', { status: 429, headers: { 'retry-after': '3' } })
        : new Response('<ok/>'),
    );
    expect(await client.text(ESEARCH, undefined, () => 10_000)).toBe('<ok/>');
    expect(waits).toEqual([3_000]);
  });

  it.each([0, 1, 999, 1_000, 2_500, 3_001, 7_001, 60_000])(
    'never schedules backoffs past a deadline %i ms away',
    async (budget) => {
      const { client, waits, now } = harness(unavailable);
      const deadline = budget;
      const error = await failureOf(client.text(ESEARCH, undefined, () => deadline - now()));
      expect(error).toBeInstanceOf(SourceError);
      // Every wait ended before the deadline: time never ran past it, whatever the outcome.
      expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(Math.max(budget, 1));
      if (error instanceof OutOfTimeError) expect((error as Error).message).toMatch(/backoff|no time left/);
      else expect((error as Error).message).toMatch(/failed after 6 attempt\(s\): HTTP 503/);
    },
  );

  it.each([0, -5_000, Number.NaN])('starts nothing when the time left is %d', async (left) => {
    const { client, sent } = harness(() => new Response('<ok/>'));
    await expect(client.text(ESEARCH, undefined, () => left)).rejects.toThrow(OutOfTimeError);
    expect(sent).toHaveLength(0);
  });

  it('keeps each request within its own budget when there is no deadline', async () => {
    const { client, waits } = harness(unavailable, { requestBudgetMs: 5_000 });
    await expect(client.text(ESEARCH)).rejects.toThrow(
      /stopped before the request's time budget of 5000 ms ran out: attempt 3 failed \(HTTP 503\)/,
    );
    expect(waits).toEqual([1_000, 2_000]);
  });

  it('cuts an attempt short at the deadline and does not retry it', async () => {
    // A server that never answers: only the client's own signal ends the attempt.
    const { client, sent } = harness(
      (_request, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const error = await failureOf(client.text(ESEARCH, undefined, () => 50));
    expect(error).toBeInstanceOf(OutOfTimeError);
    expect((error as Error).message).toMatch(/no complete answer in the 50 ms that were left/);
    expect(sent).toHaveLength(1);
  });
});

describe('DNS failures', () => {
  /** What Node's fetch throws when getaddrinfo fails: TypeError('fetch failed') caused by the lookup error. */
  function lookupFailure(code: string, hostname: string) {
    const cause = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
      errno: -3008,
      code,
      syscall: 'getaddrinfo',
      hostname,
    });
    return new TypeError('fetch failed', { cause });
  }

  it.each(['ENOTFOUND', 'EAI_AGAIN'])(
    'fail at once on %s, naming the host, without retries',
    async (code) => {
      const { client, sent, waits } = harness(() => {
        throw lookupFailure(code, 'eutils.example.org');
      });
      const error = await failureOf(client.text(ESEARCH));
      expect(error).toBeInstanceOf(SourceError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^pubmed: POST /entrez/eutils/esearch.fcgi: cannot resolve host eutils.example.org \\(${code}: `,
        ),
      );
      expect(sent).toHaveLength(1);
      expect(waits).toEqual([]);
    },
  );

  it('finds the lookup failure among the errors of an AggregateError', async () => {
    const { client, sent } = harness(() => {
      throw new TypeError('fetch failed', {
        cause: new AggregateError([lookupFailure('ENOTFOUND', 'registry.example.org')], 'all lookups failed'),
      });
    });
    await expect(client.text(STUDIES)).rejects.toThrow(
      /cannot resolve host registry.example.org \(ENOTFOUND/,
    );
    expect(sent).toHaveLength(1);
  });

  it('still retries a refused connection, which may well come back', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    const { client, sent } = harness(() => {
      throw new TypeError('fetch failed', { cause: refused });
    });
    await expect(client.text(ESEARCH)).rejects.toThrow(
      /failed after 6 attempt\(s\): fetch failed: connect ECONNREFUSED/,
    );
    expect(sent).toHaveLength(POLICY.retries + 1);
  });
});
