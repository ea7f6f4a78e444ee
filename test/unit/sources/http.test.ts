import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import { parseRetryAfter, rateLimiter } from '#shared/sources/http.ts';
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
