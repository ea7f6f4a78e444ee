import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '#shared/errors.ts';
import { pubmedPolicy } from '#shared/sources/ports.ts';
import { searchSource } from '#shared/sources/search-source.ts';
import {
  busiestWindow,
  FAST_POLICY,
  type Fault,
  type FaultKind,
  portsFor,
  pubmedRecording,
  type ReplayServer,
  STALL_MS,
  startReplayServer,
} from '#test/support/replay-server.ts';

const window = { from: '2019-07-12', until: '2019-08-31' };
const BATCH = 3;
const clean = pubmedRecording(window, [{ count: 7, webEnv: 'NCID_1_clean' }], BATCH);
// esearch, three efetch pages (3 + 3 + 1 records), esearch again to confirm the count.
const CLEAN_REQUESTS = 5;

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function poll(interactions = clean, faults: Fault[] = [], batchSize = BATCH) {
  server = await startReplayServer(interactions, { faults, stallMs: STALL_MS });
  return searchSource('pubmed', window, portsFor(server, { batchSize }));
}

describe('PubMed poll through the replay server', () => {
  it('reads every page of a multi-page window once', async () => {
    const result = await poll();
    expect(result.records.map((record) => record.pmid)).toEqual([
      '40000001',
      '40000002',
      '40000003',
      '40000004',
      '40000005',
      '40000006',
      '40000007',
    ]);
    expect(server?.requests.map((request) => request.path.split('/').at(-1))).toEqual([
      'esearch.fcgi',
      'efetch.fcgi',
      'efetch.fcgi',
      'efetch.fcgi',
      'esearch.fcgi',
    ]);
    expect(server?.requests.every((request) => request.outcome === 'replayed')).toBe(true);
    expect(result.records[3]?.title).toMatch(/^Occupational pesticide exposure/);
  });

  const kinds: FaultKind[] = ['429', '500', 'stall', 'truncate', 'reset', 'error-200'];
  const positions = Array.from({ length: CLEAN_REQUESTS }, (_, index) => index + 1);
  const expected = ['40000001', '40000002', '40000003', '40000004', '40000005', '40000006', '40000007'];

  describe.each(kinds)('with a %s fault', (kind) => {
    it.each(positions)('at request %i ends with exactly the records of a clean run', async (at) => {
      const result = await poll(clean, [{ at, kind, retryAfter: '0' }]);
      expect(result.records.map((record) => record.pmid)).toEqual(expected);
      expect(server?.requests[at - 1]?.outcome).toBe(kind);
      expect(server?.requests).toHaveLength(CLEAN_REQUESTS + 1);
    });
  });

  it('survives a fault on every request at once', async () => {
    const faults = positions.map((at, index) => ({
      at: at * 2 - 1,
      kind: kinds[index % kinds.length] as FaultKind,
      retryAfter: '0',
    }));
    const result = await poll(clean, faults);
    expect(result.records.map((record) => record.pmid)).toEqual(expected);
  });

  it('waits for Retry-After before asking again', async () => {
    await poll(clean, [{ at: 2, kind: '429', retryAfter: '1' }]);
    const [limited, retried] = [server?.requests[1], server?.requests[2]];
    expect(limited?.outcome).toBe('429');
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('reports an <ERROR> that persists as a SourceError, never as zero results', async () => {
    const faults = Array.from({ length: 10 }, (_, index) => ({ at: index + 1, kind: 'error-200' as const }));
    await expect(poll(clean, faults)).rejects.toThrow(SourceError);
    await expect(poll(clean, faults)).rejects.toThrow(/Search Backend failed/);
  });

  it('fails the window with a SourceError when efetch keeps answering <ERROR>, so its watermark stays', async () => {
    const attempts = FAST_POLICY.retries + 1;
    const faults = Array.from({ length: attempts }, (_, index) => ({
      at: index + 2,
      kind: 'error-200' as const,
    }));
    await expect(poll(clean, faults)).rejects.toThrow(
      /efetch.fcgi failed after 5 attempt\(s\): E-utilities answered with an error/,
    );
  });

  it('gives up on a request that keeps failing, after the configured retries', async () => {
    const faults = Array.from({ length: 10 }, (_, index) => ({ at: index + 2, kind: '500' as const }));
    await expect(poll(clean, faults)).rejects.toThrow(/efetch.fcgi failed after 5 attempt/);
    expect(server?.requests).toHaveLength(1 + FAST_POLICY.retries + 1);
  });

  it('does not retry an answer that says the request itself is wrong', async () => {
    const unknownWindow = pubmedRecording(
      { from: '2001-01-01', until: '2001-01-02' },
      [{ count: 1, webEnv: 'x' }],
      BATCH,
    );
    await expect(poll(unknownWindow)).rejects.toThrow(/HTTP 404/);
    expect(server?.requests).toHaveLength(1);
  });

  it('splits a window over the 9,999 cap by date and reads each half', async () => {
    const halves = [
      { from: '2019-07-12', until: '2019-08-05' },
      { from: '2019-08-06', until: '2019-08-31' },
    ] as const;
    const interactions = [
      ...pubmedRecording(window, [{ count: 15_169, webEnv: 'NCID_whole' }], BATCH).slice(0, 1),
      ...pubmedRecording(halves[0], [{ count: 4, webEnv: 'NCID_first', offset: 0 }], BATCH),
      ...pubmedRecording(halves[1], [{ count: 2, webEnv: 'NCID_second', offset: 100 }], BATCH),
    ];
    const result = await poll(interactions);
    expect(result.records.map((record) => record.pmid)).toEqual([
      '40000001',
      '40000002',
      '40000003',
      '40000004',
      '40000101',
      '40000102',
    ]);
    expect(result.progress.some((event) => event.note?.includes('15169 > 9999'))).toBe(true);
    expect(
      server?.requests
        .filter((request) => request.path.endsWith('efetch.fcgi'))
        .every((request) => request.params.WebEnv !== 'NCID_whole'),
    ).toBe(true);
  });

  it('re-reads the window when the count changes while paging', async () => {
    const interactions = pubmedRecording(
      window,
      [
        { count: 7, webEnv: 'NCID_before' },
        { count: 8, webEnv: 'NCID_after', offset: 50 },
        { count: 8, webEnv: 'NCID_after', offset: 50 },
      ],
      BATCH,
    );
    const result = await poll(interactions);
    expect(result.records).toHaveLength(8);
    expect(result.records[0]?.pmid).toBe('40000051');
    expect(result.progress.some((event) => event.note?.startsWith('count changed while paging (7 → 8'))).toBe(
      true,
    );
  });

  it('fails with a SourceError when the count never settles', async () => {
    const reads = [7, 8, 9, 10, 11].map((count) => ({ count, webEnv: `NCID_${count}` }));
    await expect(poll(pubmedRecording(window, reads, BATCH))).rejects.toThrow(/kept changing over 4 reads/);
  });

  it('returns what efetch gives and reports the shortfall when a steady count cannot be fully fetched', async () => {
    const result = await poll(
      pubmedRecording(window, [{ count: 7, webEnv: 'NCID_short', served: 6 }], BATCH),
    );
    expect(result.records.map((record) => record.pmid)).toEqual(expected.slice(0, 6));
    expect(result.shortfalls).toEqual([
      expect.stringMatching(/^PubMed counts 7 records for .* but efetch returned 6 after \d+ reads$/),
    ]);
  });

  it('never lets more requests into a second than the rate allows, retries included', async () => {
    server = await startReplayServer(clean, { faults: [{ at: 3, kind: '500' }] });
    const policy = { ...FAST_POLICY, requestsPerSecond: 4 };
    await searchSource('pubmed', window, portsFor(server, { policy, batchSize: BATCH }));
    // Six requests at 4 a second: without the limiter they would all land within a few milliseconds.
    expect(server.requests).toHaveLength(CLEAN_REQUESTS + 1);
    expect(busiestWindow(server.requests)).toBeLessThanOrEqual(4);
  });

  it('keeps the real default of 3 requests per second without an API key', async () => {
    server = await startReplayServer(clean);
    const ports = portsFor(server, { policy: { ...pubmedPolicy({}), timeoutMs: 5_000 }, batchSize: BATCH });
    await searchSource('pubmed', window, ports);
    expect(server.requests).toHaveLength(CLEAN_REQUESTS);
    expect(busiestWindow(server.requests)).toBeLessThanOrEqual(3);
  });

  it('sends tool and email with every request and never keys recordings on them', async () => {
    await poll();
    for (const request of server?.requests ?? []) {
      expect(request.params.tool).toBe('living-review');
      expect(request.params.email).toBe('tests@example.org');
      expect(request.key).not.toContain('email');
    }
  });
});
