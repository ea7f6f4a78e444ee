/**
 * A local HTTP server (127.0.0.1, a free port) that answers from recorded interactions, for tests and for
 * `search --offline`. It notes when each request arrived, so tests can check the client's rate limit, and it can
 * inject a fault on chosen request numbers: 429 with Retry-After, 500, a stall past the client's timeout, a body
 * cut short, a connection reset, an E-utilities <ERROR> inside a 200, a 307 redirect (to another origin by
 * default), an endless answer, or a gzip bomb (a small compressed answer that inflates without end).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { type Interaction, matches, requestKey } from './cassette.ts';

export type FaultKind =
  | '429'
  | '500'
  | 'stall'
  | 'truncate'
  | 'reset'
  | 'error-200'
  | 'redirect'
  | 'oversize'
  | 'gzip-bomb';

export interface Fault {
  /** 1-based number of the request (in arrival order) that gets the fault instead of its answer. */
  at: number;
  kind: FaultKind;
  /** For 429: the Retry-After header value (seconds). */
  retryAfter?: string;
  /** For redirect: the Location (default: an origin nothing listens on; "self": this same URL, same origin). */
  location?: string;
  /** For oversize and gzip-bomb: how many bytes the answer holds (decompressed); default: more than any cap. */
  bytes?: number;
}

export interface ReceivedRequest {
  number: number;
  /** performance.now() when the request arrived. */
  at: number;
  method: string;
  path: string;
  params: Record<string, string>;
  key: string;
  /** What the server did: "replayed", a fault kind, or "unmatched". */
  outcome: string;
}

export interface ReplayServer {
  baseUrl: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export interface ReplayOptions {
  faults?: Fault[];
  /** How long a stall lasts before the socket is dropped (make it longer than the client's timeout). */
  stallMs?: number;
}

/** NCBI's body for a 429 (test/fixtures/eutils/rate-limit-429.json). */
const RATE_LIMIT_BODY =
  '{"error":"API rate limit exceeded","api-key":"[redacted capture-host IP]","count":"4","limit":"3"}';
const EUTILS_ERROR_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD eSearchResult, 11 May 2002//EN" "http://www.ncbi.nlm.nih.gov/entrez/query/DTD/eSearch_020511.dtd">\n<eSearchResult>\n  <ERROR>Search Backend failed: Unable to connect to the search service</ERROR>\n</eSearchResult>\n';

export async function startReplayServer(
  interactions: Interaction[],
  options: ReplayOptions = {},
): Promise<ReplayServer> {
  const faults = new Map((options.faults ?? []).map((fault) => [fault.at, fault]));
  const served = new Map<Interaction, number>();
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const params = Object.fromEntries(url.searchParams);
    if (method === 'POST')
      Object.assign(params, Object.fromEntries(new URLSearchParams(await readBody(request))));
    const received: ReceivedRequest = {
      number: requests.length + 1,
      at,
      method,
      path: url.pathname,
      params,
      key: requestKey(method, url.pathname, params),
      outcome: 'replayed',
    };
    requests.push(received);
    const interaction = interactions.find((candidate) =>
      matches(candidate.request, method, url.pathname, params),
    );
    const count = interaction ? (served.get(interaction) ?? 0) : 0;
    const answer = interaction?.responses[Math.min(count, interaction.responses.length - 1)];
    const fault = faults.get(received.number);
    if (fault) {
      received.outcome = fault.kind;
      injectFault(fault, response, request.url ?? '/', answer?.body ?? '');
      return;
    }
    if (interaction === undefined || answer === undefined) {
      received.outcome = 'unmatched';
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no recording for ${received.key}`);
      return;
    }
    served.set(interaction, count + 1);
    response
      .writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) })
      .end(answer.body);
  }

  function injectFault(fault: Fault, response: ServerResponse, target: string, body: string): void {
    const path = new URL(target, 'http://127.0.0.1').pathname;
    const socket = response.socket;
    switch (fault.kind) {
      case '429':
        response
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': fault.retryAfter ?? '1' })
          .end(RATE_LIMIT_BODY);
        return;
      case '500':
        response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
        return;
      case 'error-200':
        response
          .writeHead(200, { 'content-type': path.includes('eutils') ? 'text/xml' : 'application/json' })
          .end(EUTILS_ERROR_BODY);
        return;
      case 'stall': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          socket?.destroy();
        }, options.stallMs ?? 5_000);
        timers.add(timer);
        return;
      }
      case 'truncate': {
        // Announce the whole recorded answer, send half of it, hang up.
        const bytes = Buffer.from(body || EUTILS_ERROR_BODY);
        response.writeHead(200, { 'content-length': bytes.length });
        response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => socket?.destroy());
        return;
      }
      case 'reset':
        if (socket && 'resetAndDestroy' in socket && typeof socket.resetAndDestroy === 'function')
          socket.resetAndDestroy();
        else socket?.destroy();
        return;
      case 'redirect':
        // 307 keeps the method and body: what a client that follows it would send is exactly what must not go.
        response
          .writeHead(307, {
            location: fault.location === 'self' ? target : (fault.location ?? 'http://127.0.0.1:9/elsewhere'),
            'content-length': 0,
          })
          .end();
        return;
      case 'oversize': {
        // No Content-Length: only counting the bytes as they arrive can stop it.
        response.writeHead(200, { 'content-type': 'text/plain' });
        streamZeros(response, response, fault.bytes ?? ENDLESS_BYTES);
        return;
      }
      case 'gzip-bomb': {
        response.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' });
        const gzip = createGzip();
        gzip.pipe(response);
        response.on('close', () => gzip.destroy());
        streamZeros(gzip, response, fault.bytes ?? ENDLESS_BYTES);
        return;
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** More than any answer a client should accept (16 GiB): generated as it is read, never held. */
const ENDLESS_BYTES = 2 ** 34;

/** Writes `total` zero bytes into `sink` as fast as the client reads, stopping when the client hangs up. */
function streamZeros(sink: NodeJS.WritableStream, response: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  let closed = false;
  response.on('close', () => {
    closed = true;
  });
  const pump = () => {
    while (!closed && sent < total) {
      const size = Math.min(chunk.length, total - sent);
      sent += size;
      if (!sink.write(chunk.subarray(0, size))) {
        sink.once('drain', pump);
        return;
      }
    }
    if (!closed) sink.end();
  };
  pump();
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
