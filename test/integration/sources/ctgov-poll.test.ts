import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '#shared/errors.ts';
import { CTGOV_DEFAULTS, createCtgovClient, statusChanges } from '#shared/sources/ctgov/client.ts';
import { parseCtgovJson } from '#shared/sources/ctgov/parse.ts';
import { searchSource } from '#shared/sources/search-source.ts';
import {
  busiestWindow,
  CTGOV_PATH,
  ctgovRecording,
  FAST_POLICY,
  type Fault,
  type FaultKind,
  portsFor,
  type ReplayServer,
  STALL_MS,
  startReplayServer,
} from '#test/support/replay-server.ts';
import { readFixture } from '#test/support/source-fixtures.ts';

const window = { from: '2019-07-12', until: '2026-08-11' };
const PAGE_SIZE = 5;
const clean = ctgovRecording(window, PAGE_SIZE);
const expected = [
  'NCT02710084',
  'NCT05105685',
  'NCT01525901',
  'NCT03493607',
  'NCT07119606',
  'NCT05187377',
  'NCT03836300',
  'NCT07014020',
  'NCT05025241',
  'NCT07281079',
];

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function poll(faults: Fault[] = [], interactions = clean) {
  server = await startReplayServer(interactions, { faults, stallMs: STALL_MS });
  return searchSource('ctgov', window, portsFor(server, { pageSize: PAGE_SIZE }));
}

describe('ClinicalTrials.gov poll through the replay server', () => {
  it('follows page tokens to the empty last page, repeating the first page parameters', async () => {
    const result = await poll();
    expect(result.records.map((record) => record.nctIds[0])).toEqual(expected);
    const [first, second, third] = server?.requests ?? [];
    expect(first?.params.pageToken).toBeUndefined();
    expect(second?.params.pageToken).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4dnDeTsPkw');
    expect(third?.params.pageToken).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4bmjeauvk_IQ');
    for (const request of [second, third]) {
      expect({ ...request?.params, pageToken: undefined }).toEqual({
        ...first?.params,
        pageToken: undefined,
      });
    }
    expect(first?.params['query.term']).toContain('AREA[DesignAllocation]RANDOMIZED');
    expect(first?.params['query.term']).toContain('AREA[LastUpdatePostDate]RANGE[2019-07-12,2026-08-11]');
    expect(result.progress.find((event) => event.expected !== undefined)?.expected).toBe(21);
  });

  const kinds: FaultKind[] = ['429', '500', 'stall', 'truncate', 'reset', 'error-200'];
  describe.each(kinds)('with a %s fault', (kind) => {
    it.each([1, 2, 3])('at request %i ends with exactly the records of a clean run', async (at) => {
      const result = await poll([{ at, kind, retryAfter: '0' }]);
      expect(result.records.map((record) => record.nctIds[0])).toEqual(expected);
      expect(server?.requests[at - 1]?.outcome).toBe(kind);
      expect(server?.requests).toHaveLength(4);
    });
  });

  it('follows a same-origin redirect of a page request and reads the same records', async () => {
    const result = await poll([{ at: 2, kind: 'redirect', location: 'self' }]);
    expect(result.records.map((record) => record.nctIds[0])).toEqual(expected);
    expect(server?.requests.map((request) => request.outcome)).toEqual([
      'replayed',
      'redirect',
      'replayed',
      'replayed',
    ]);
    expect(server?.requests[2]?.params).toEqual(server?.requests[1]?.params);
  });

  it('refuses a redirect to another origin without asking it anything or retrying', async () => {
    const elsewhere = await startReplayServer(clean);
    try {
      const fault: Fault = { at: 2, kind: 'redirect', location: `${elsewhere.baseUrl}${CTGOV_PATH}/studies` };
      await expect(poll([fault])).rejects.toThrow(
        /GET \/api\/v2\/studies answered HTTP 307: a redirect from .* to another origin, http:\/\/127.0.0.1:\d+: refused/,
      );
      expect(elsewhere.requests).toHaveLength(0);
      expect(server?.requests).toHaveLength(2);
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses a page that inflates past the size cap, without retrying it', async () => {
    await expect(poll([{ at: 1, kind: 'gzip-bomb' }])).rejects.toThrow(
      /the answer is larger than the 4194304-byte cap \(counted after decompression\); reading stopped/,
    );
    expect(server?.requests).toHaveLength(1);
  });

  it('never lets more requests into a second than the rate allows, retries included', async () => {
    server = await startReplayServer(clean, { faults: [{ at: 2, kind: 'reset' }] });
    const policy = { ...FAST_POLICY, requestsPerSecond: 2 };
    await searchSource('ctgov', window, portsFor(server, { policy, pageSize: PAGE_SIZE }));
    expect(server.requests).toHaveLength(4);
    expect(busiestWindow(server.requests)).toBeLessThanOrEqual(2);
  });

  it('fails with a SourceError when a page keeps failing', async () => {
    const faults = Array.from({ length: 8 }, (_, index) => ({ at: index + 2, kind: '500' as const }));
    await expect(poll(faults)).rejects.toThrow(SourceError);
  });

  it('fetches known registrations by NCT id for the status watch', async () => {
    const study = readFixture('ctgov/NCT03630471.json');
    server = await startReplayServer([
      {
        request: {
          method: 'GET',
          path: `${CTGOV_PATH}/studies`,
          params: {
            format: 'json',
            countTotal: 'true',
            pageSize: String(CTGOV_DEFAULTS.pageSize),
            'filter.ids': 'NCT03630471',
          },
        },
        responses: [{ status: 200, headers: {}, body: `{"studies":[${study}],"totalCount":1}` }],
      },
    ]);
    const ports = portsFor(server);
    const client = createCtgovClient(ports.ctgov.http, ports.ctgov.settings);
    const [current] = await client.current(['nct03630471']);
    expect(current?.registry?.status).toBe('COMPLETED');
  });
});

describe('statusChanges', () => {
  const [known] = parseCtgovJson(readFixture('ctgov/NCT03630471.json'));
  const base = known as NonNullable<typeof known>;
  const registry = base.registry as NonNullable<typeof base.registry>;
  const withRegistry = (changes: Partial<typeof registry>) => ({
    ...base,
    registry: { ...registry, ...changes },
  });

  it('reports a registration that is now completed', () => {
    const before = withRegistry({ status: 'RECRUITING' });
    expect(statusChanges([before], [base])).toEqual([
      { nctId: 'NCT03630471', change: 'completed', from: 'RECRUITING', to: 'COMPLETED' },
    ]);
  });

  it('reports results posted and withdrawals', () => {
    const changes = statusChanges([base], [withRegistry({ hasResults: true, status: 'WITHDRAWN' })]);
    expect(changes.map((change) => change.change)).toEqual(['results posted', 'withdrawn']);
  });

  it('reports nothing for an unchanged registration', () => {
    expect(statusChanges([base], [base])).toEqual([]);
  });
});
