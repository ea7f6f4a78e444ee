/**
 * The other half of least privilege: the access each function is granted on the review table
 * (infra/table-access.ts, which test/infra checks against the synthesized policies) must cover every request its
 * use cases really send, or the function fails with AccessDenied in AWS. Each use case runs here on dynalite as
 * its handler runs it (the demo's recorded PubMed and ClinicalTrials.gov answers for the polls), every request to
 * the review table is recorded (action, index, partition keys written), and each must be one the grant allows.
 * A run covers the paths it takes, not every path (a race's repointed claim, a failed send's released alert).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource, publishPage, reanalyseReview } from '#shared/cycle.ts';
import { storeDemoEarlierPoll } from '#shared/demo.ts';
import { s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';
import { screeningQueue } from '#shared/screening/screen.ts';
import { seedReview } from '#shared/seed.ts';
import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import { createSourcePorts } from '#shared/sources/ports.ts';
import { loadCassette } from '#shared/sources/replay/cassette.ts';
import { startReplayServer } from '#shared/sources/replay/server.ts';
import type { LocalStore } from '#shared/store/local.ts';
import type { Clock } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { createWorkbench } from '#shared/web/app.ts';
import type { Authenticator } from '#shared/web/identity.ts';
import { metapsyText } from '#test/support/extraction-fixtures.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import {
  DEMO_CASSETTE,
  DEMO_EARLIER_POLL,
  groupPeerSupportEligibility,
  groupPeerSupportSeed,
  groupPeerSupportReview as review,
} from '#test/support/group-peer-support.ts';
import { memoryStore, steppingClock } from '#test/support/store.ts';
import { actionsIn, denied, recordTableCalls, type TableCall } from '#test/support/table-calls.ts';
import { createScreeningHandler, type ScreeningApiEvent } from '../../../functions/screening-api/handler.ts';
import { TABLE_ACCESS } from '../../../infra/table-access.ts';

let local: LocalStore;
let clock: Clock;
let callsOf: (work: () => Promise<unknown>) => Promise<TableCall[]>;

beforeAll(async () => {
  local = await memoryStore();
  clock = steppingClock('2026-12-01T05:00:00.000Z');
  callsOf = recordTableCalls(local);
  // What is stored before the functions run: the review's baseline and the demo's earlier registry poll.
  await seedReview(review, { store: local.store, clock }, groupPeerSupportSeed());
  await storeDemoEarlierPoll(local.store, clock, DEMO_EARLIER_POLL);
}, 120_000);

afterAll(async () => {
  await local.close();
});

const ports = () => ({ review, store: local.store, clock, notifier: { send: async () => {} } });

describe('the review-table access each function is granted', () => {
  it('covers what both polls send, on the demo recordings', async () => {
    const replay = await startReplayServer(loadCassette(DEMO_CASSETTE), { faults: [], stallMs: 1_500 });
    try {
      const config = sourceConfigFromEnv({
        PUBMED_BASE_URL: `${replay.baseUrl}/entrez/eutils`,
        CTGOV_BASE_URL: `${replay.baseUrl}/api/v2`,
      });
      const fast = {
        requestsPerSecond: 200,
        timeoutMs: 1_000,
        retries: 2,
        minBackoffMs: 5,
        maxBackoffMs: 20,
        requestBudgetMs: 30_000,
        maxResponseBytes: 16 * 1024 * 1024,
      };
      const sources = createSourcePorts(config, review.search, {
        pubmedPolicy: { ...fast, maxRetryAfterMs: 50 },
        ctgovPolicy: { ...fast, maxRetryAfterMs: 50 },
      });
      const calls = await callsOf(async () => {
        await pollSource('pubmed', { ...ports(), sources });
        await pollSource('ctgov', { ...ports(), sources });
      });
      expect(actionsIn(calls)).toEqual(
        expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem']),
      );
      expect(denied(TABLE_ACCESS.poll, calls)).toEqual([]);
    } finally {
      await replay.close();
    }
  }, 120_000);

  it('covers what the reanalysis sends when it stores a new version', async () => {
    const calls = await callsOf(async () => {
      const result = await reanalyseReview(ports(), 'included data changed');
      expect(result.created).toBe(true);
    });
    expect(actionsIn(calls)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
    expect(denied(TABLE_ACCESS.reanalyse, calls)).toEqual([]);
  });

  it('covers what publishing sends', async () => {
    const bucket = fakeS3('site');
    const calls = await callsOf(() =>
      publishPage({ ...ports(), site: s3SiteWriter(bucket.calls, 'site'), siteLocation: 's3://site/' }),
    );
    expect(bucket.objects.size).toBeGreaterThan(0);
    expect(actionsIn(calls)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
    );
    expect(denied(TABLE_ACCESS.publish, calls)).toEqual([]);
  });

  it('covers what the screening API sends for the queue, the status and a decision that includes', async () => {
    const handle = createScreeningHandler({
      store: local.store,
      clock,
      eligibility: groupPeerSupportEligibility,
    });
    const [waiting] = await screeningQueue(local.store);
    if (!waiting) throw new Error('the demo poll left nothing to screen');
    const request = (routeKey: string, reviewer: string, body?: unknown): ScreeningApiEvent => ({
      routeKey,
      pathParameters: { id: waiting.id },
      ...(body ? { body: JSON.stringify(body) } : {}),
      requestContext: {
        authorizer: {
          jwt: { claims: { token_use: 'id', 'cognito:username': reviewer, 'cognito:groups': '[reviewer]' } },
        },
      },
    });
    const calls = await callsOf(async () => {
      for (const routeKey of ['GET /queue', 'GET /status']) {
        expect(await handle(request(routeKey, 'ana'))).toMatchObject({ statusCode: 200 });
      }
      // Included at title/abstract, then at full text (by a second reviewer too when the record is dual-screened).
      for (const stage of ['title-abstract', 'full-text']) {
        for (const reviewer of ['ana', 'ben']) {
          const body = { decision: 'include', stage };
          const answer = await handle(request('POST /records/{id}/decisions', reviewer, body));
          expect([201, 409]).toContain((answer as { statusCode: number }).statusCode);
        }
      }
    });
    expect(calls.filter((call) => call.action === 'dynamodb:PutItem').map((call) => call.partitions)).toEqual(
      expect.arrayContaining([['MARKER#included-data']]),
    );
    expect(denied(TABLE_ACCESS.screening, calls)).toEqual([]);
  });

  it('covers what the workbench sends: its pages, decisions through full text, imports and a study change', async () => {
    const bucket = fakeS3('site');
    const csrf = 'w'.repeat(40);
    // Whoever the request names: the authorizer is not what this test is about.
    const auth: Authenticator = {
      signInPath: '/signin',
      identify: async (c) => {
        const id = c.req.header('x-test-user') ?? 'ana';
        return { id, name: id, roles: ['reviewer', 'lead'] };
      },
      mount: () => {},
    };
    const app = createWorkbench({
      ...ports(),
      auth,
      cookies: { secure: true },
      publish: () =>
        publishPage({ ...ports(), site: s3SiteWriter(bucket.calls, 'site'), siteLocation: 's3://site/' }),
    });
    const get = async (path: string) => {
      const response = await app.request(path, { headers: { 'x-test-user': 'ana' } });
      expect(response.status, path).toBe(200);
    };
    const post = async (path: string, fields: Record<string, string | File>, user = 'ana') => {
      const form = new FormData();
      form.set('_csrf', csrf);
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      const response = await app.request(path, {
        method: 'POST',
        headers: { cookie: `lr_csrf=${csrf}`, 'x-test-user': user },
        body: form,
      });
      expect([200, 303], `${path}: ${await response.clone().text()}`).toContain(response.status);
      return response;
    };
    const queued = (await screeningQueue(local.store)).filter((item) => !item.conflict);
    const record = queued[0];
    if (!record) throw new Error('nothing left to screen');
    const calls = await callsOf(async () => {
      for (const path of ['/', '/queue', '/studies', '/imports', `/records/${encodeURIComponent(record.id)}`])
        await get(path);
      // Included at both stages by two reviewers: the full-text inclusion reanalyses and publishes.
      for (const stage of ['title-abstract', 'full-text']) {
        for (const user of ['ana', 'ben']) {
          await post(
            `/records/${encodeURIComponent(record.id)}/decisions`,
            { decision: 'include', stage },
            user,
          );
        }
      }
      await post('/imports', {
        kind: 'ris',
        file: new File(
          [readFileSync(new URL('../../fixtures/ris/psycinfo.ris', import.meta.url))],
          'psycinfo.ris',
        ),
      });
      await post('/imports', { kind: 'metapsy', file: new File([metapsyText()], 'metapsy.csv') });
      const { units } = await loadEvidence(review, local.store, clock);
      const unit = units.find((candidate) => candidate.reports.length > 0);
      if (!unit) throw new Error('no study with a report');
      await get(`/studies/${encodeURIComponent(unit.id)}`);
      await post(`/studies/${encodeURIComponent(unit.id)}/move`, {
        record: String(unit.reports[0]),
        to: 'split-2026',
        label: 'Split 2026',
        reason: 'a separate trial',
      });
    });
    const written = (prefix: string) =>
      calls.some(
        (call) => call.action === 'dynamodb:PutItem' && call.partitions.some((pk) => pk.startsWith(prefix)),
      );
    // Each kind of change really happened, so the check below covers it.
    for (const prefix of [
      'REC#',
      'KEY#',
      'BATCH#',
      'DOC#extraction-part#',
      'DOC#extraction-file#',
      'DOC#study-event#',
      'ANALYSIS',
      'PUBLISH',
      'MARKER#',
    ])
      expect(written(prefix), prefix).toBe(true);
    expect(bucket.objects.size).toBeGreaterThan(0);
    expect(denied(TABLE_ACCESS.workbench, calls)).toEqual([]);
    // And the workbench needs more than any one function has.
    for (const other of [TABLE_ACCESS.poll, TABLE_ACCESS.publish, TABLE_ACCESS.screening]) {
      expect(denied(other, calls)).not.toEqual([]);
    }
  }, 120_000);

  it('covers storing and reading a version too large for one item, for both functions that write versions', async () => {
    const latest = await local.store.latestAnalysisVersion();
    const version = {
      version: (latest?.version ?? 0) + 1,
      hash: 'large',
      createdAt: clock.now().toISOString(),
      body: { analyses: [], changes: [], reason: 'r'.repeat(700_000) },
    };
    const calls = await callsOf(async () => {
      expect(await local.store.putAnalysisVersion(version)).toBe(true);
      expect(await local.store.latestAnalysisVersion()).toEqual(version);
      expect(await local.store.listAnalysisVersions()).toContainEqual(version);
    });
    const puts = calls
      .filter((call) => call.action === 'dynamodb:PutItem')
      .flatMap((call) => call.partitions);
    expect(puts.filter((pk) => pk.startsWith('BODY#')).length).toBeGreaterThan(1);
    expect(puts.at(-1)).toBe('ANALYSIS');
    expect(denied(TABLE_ACCESS.reanalyse, calls)).toEqual([]);
    expect(denied(TABLE_ACCESS.publish, calls)).toEqual([]);
    expect(denied(TABLE_ACCESS.workbench, calls)).toEqual([]);
    // Nothing else may write a body chunk.
    for (const access of [TABLE_ACCESS.poll, TABLE_ACCESS.screening]) {
      expect(
        denied(
          access,
          calls.filter((call) => call.partitions.some((pk) => pk.startsWith('BODY#'))),
        ),
      ).not.toEqual([]);
    }
  });
});
