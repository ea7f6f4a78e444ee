/**
 * `--table NAME`: an operator's CLI run on a deployed review's table. dynalite stands in for DynamoDB's endpoint
 * (AWS_ENDPOINT_URL_DYNAMODB), the real CLI runs as a child process with the usual AWS variables, and nothing local
 * (dynalite in-process, the data directory and its lock) may be started.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYED_LEASE_MS } from '#shared/records/ingest.ts';
import type { DynamoStore } from '#shared/store/dynamo.ts';
import { runChild } from '#test/support/crash.ts';
import { metapsyText, withCell } from '#test/support/extraction-fixtures.ts';
import {
  type FakeSns,
  REGION,
  type RemoteEndpoint,
  startFakeSns,
  startRefusingEndpoint,
  startRemoteEndpoint,
} from '#test/support/remote-table.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));
const PSYCINFO = fixture('ris/psycinfo.ris');
const EMBASE = fixture('ris/embase.ris');
const PUBMED = fixture('pubmed/pubmed5.xml');
const TOPIC = `arn:aws:sns:${REGION}:000000000000:living-review-alerts`;

const made: string[] = [];
function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `living-review-table-${name}-`));
  made.push(dir);
  return dir;
}

let remote: RemoteEndpoint;
/** The operator's working folder: it must stay empty, as no local store is opened. */
let cwd: string;

/** What an operator's shell holds, with nothing from this machine's own AWS setup leaking in. */
function awsEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: undefined,
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: join(cwd, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_DYNAMODB: remote.endpoint,
    LIVING_REVIEW_ALERT_TOPIC_ARN: undefined,
    LIVING_REVIEW_REVIEW: undefined,
    ...overrides,
  };
}

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runChild(args, { env: awsEnv(env), cwd });

/** A user's message is one line naming what to fix: never a stack trace. */
function expectOneLineError(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  remote = await startRemoteEndpoint();
  cwd = tempDir('cwd');
});

afterAll(async () => {
  await remote.close();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('import, status and export on a deployed table', () => {
  const TABLE = 'living-review-deployed';
  let store: DynamoStore;
  let imports: { new: unknown[]; duplicates: unknown[] }[];

  beforeAll(async () => {
    store = await remote.createReviewTable(TABLE);
    imports = [];
    for (const file of [PSYCINFO, EMBASE]) {
      const run = await cli(['import', 'ris', file, '--table', TABLE, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      imports.push(JSON.parse(run.stdout));
    }
  });

  it('stores the imported records in that table, bound to the review', async () => {
    expect(imports.map((result) => [result.new.length, result.duplicates.length])).toEqual([
      [3, 0],
      [1, 1],
    ]);
    const copies = await store.listCopies();
    expect(copies).toHaveLength(5);
    expect(copies.map((copy) => copy.record.title)).toContain(
      'Mutual support groups and recovery in bipolar disorder: a pilot trial',
    );
    expect(await store.getDocument('review', 'binding')).toMatchObject({
      body: { reviewId: 'group-peer-support' },
    });
  });

  it('status counts what the table holds, as the local store would', async () => {
    const run = await cli(['status', '--table', TABLE, '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({
      review: { id: 'group-peer-support' },
      records: 4,
      duplicates: 1,
      queue: { pending: 4 },
    });
    // The same files imported into a local store give the same counts.
    const data = tempDir('local');
    for (const file of [PSYCINFO, EMBASE])
      expect((await runChild(['import', 'ris', file, '--data', data])).code).toBe(0);
    const local = JSON.parse((await runChild(['status', '--data', data, '--json'])).stdout);
    expect(status).toEqual(local);
  }, 60_000);

  it('export writes the unique records from the table', async () => {
    const out = join(tempDir('export'), 'records.ris');
    const run = await cli(['export', '--format', 'ris', '--out', out, '--table', TABLE]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`4 record(s) written to ${out}`);
    const ris = readFileSync(out, 'utf8');
    expect(ris.match(/^TY {2}- /gm)).toHaveLength(4);
    expect(ris).toContain(
      'Peer-led recovery groups versus treatment as usual for adolescents with depression',
    );
  });

  it('queue lists the table’s records waiting for screening', async () => {
    const run = await cli(['queue', '--table', TABLE, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(4);
  });

  it('screen records a decision in the table', async () => {
    const [first] = (imports[0] as unknown as { new: { id: string }[] }).new;
    const id = first?.id as string;
    const run = await cli(['screen', id, '--reviewer', 'ana', '--decision', 'exclude', '--table', TABLE]);
    expect(run.code).toBe(0);
    expect(await store.decisionsFor(id)).toEqual([
      expect.objectContaining({
        recordId: id,
        reviewer: 'ana',
        decision: 'exclude',
        stage: 'title-abstract',
      }),
    ]);
  });

  it('a second import of the same file changes nothing', async () => {
    const run = await cli(['import', 'ris', PSYCINFO, '--table', TABLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 new, 0 duplicate, 0 linked, 3 already stored');
  });

  it('opens nothing local: no data directory, no lock, no alerts folder', () => {
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a table that holds another review', async () => {
    const run = await cli(['status', '--table', TABLE, '--review', 'smit-2023']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('this store holds the review "group-peer-support", not "smit-2023"');
  });
});

describe('refused before anything is touched', () => {
  const TABLE = 'living-review-refusals';

  beforeAll(async () => {
    await remote.createReviewTable(TABLE);
  });

  it('--table with --data', async () => {
    const data = join(tempDir('both'), 'data');
    const run = await cli(['import', 'ris', PSYCINFO, '--table', TABLE, '--data', data]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--table and --data cannot be used together');
    expectOneLineError(run.stderr);
    expect(existsSync(data)).toBe(false);
  });

  it('a table that does not exist', async () => {
    const run = await cli(['status', '--table', 'no-such-table']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--table no-such-table: there is no table "no-such-table" in ${REGION}`);
    expectOneLineError(run.stderr);
  });

  it('a table that is not a review table', async () => {
    await remote.createOtherTable('somebody-elses-table');
    const run = await cli(['import', 'ris', PSYCINFO, '--table', 'somebody-elses-table']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('table "somebody-elses-table" is not a living-review table');
    expectOneLineError(run.stderr);
  });

  it('no region', async () => {
    const run = await cli(['status', '--table', TABLE], { AWS_REGION: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--table ${TABLE}: no AWS region: set AWS_REGION`);
    expectOneLineError(run.stderr);
  });

  it('no credentials', async () => {
    const run = await cli(['status', '--table', TABLE], {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--table ${TABLE}: no AWS credentials found: set AWS_PROFILE`);
    expectOneLineError(run.stderr);
  });

  it('credentials AWS refuses, or that may not use the table', async () => {
    for (const [type, expected] of [
      ['UnrecognizedClientException', `--table ${TABLE}: AWS refused the credentials`],
      ['AccessDeniedException', `--table ${TABLE}: these credentials may not use table "${TABLE}"`],
    ] as const) {
      const refusing = await startRefusingEndpoint(type, 'refused by the stand-in');
      try {
        const run = await cli(['status', '--table', TABLE], { AWS_ENDPOINT_URL_DYNAMODB: refusing.endpoint });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(expected);
        expectOneLineError(run.stderr);
      } finally {
        await refusing.close();
      }
    }
  });

  it('an endpoint that does not answer is a source failure (exit 3)', async () => {
    // A port nothing listens on: the endpoint of an endpoint server started and stopped again.
    const gone = await startRemoteEndpoint();
    await gone.close();
    const run = await cli(['status', '--table', TABLE], { AWS_ENDPOINT_URL_DYNAMODB: gone.endpoint });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`--table ${TABLE}: cannot reach DynamoDB (table "${TABLE}" in ${REGION})`);
    expectOneLineError(run.stderr);
  });

  it('a command that may alert the team, without the alert topic', async () => {
    for (const args of [['import', 'ris', PSYCINFO, '--alert'], ['analyse']]) {
      const run = await cli([...args, '--table', TABLE]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('set LIVING_REVIEW_ALERT_TOPIC_ARN');
      expectOneLineError(run.stderr);
    }
  });
});

describe('sharing the table with the deployed functions', () => {
  it('leaves a batch a live function works on, and completes one whose run went quiet', async () => {
    const store = await remote.createReviewTable('living-review-shared');
    const now = Date.now();
    const head = (id: string, heartbeat: number) => ({
      id,
      label: 'poll pubmed',
      cycle: '2025-01-01',
      dualFraction: 0,
      createdAt: new Date(heartbeat).toISOString(),
      session: `lambda-${id}`,
      heartbeatAt: new Date(heartbeat).toISOString(),
    });
    await store.openBatch(head('live', now));
    await store.openBatch(head('quiet', now - DEPLOYED_LEASE_MS - 60_000));
    const run = await cli(['import', 'pubmed', PUBMED, '--table', 'living-review-shared']);
    expect(run.code).toBe(0);
    // A run with the store to itself would have taken the live batch over at once.
    expect((await store.getBatch('live'))?.doneAt).toBeUndefined();
    expect((await store.getBatch('live'))?.session).toBe('lambda-live');
    expect((await store.getBatch('quiet'))?.doneAt).toBeDefined();
  });
});

describe('team alerts go to the deployment’s topic', () => {
  let sns: FakeSns;

  beforeAll(async () => {
    sns = await startFakeSns();
  });
  afterAll(async () => {
    await sns.close();
  });

  it('import --alert publishes the digest to LIVING_REVIEW_ALERT_TOPIC_ARN, and prints none', async () => {
    await remote.createReviewTable('living-review-alerts');
    const run = await cli(['import', 'ris', PSYCINFO, '--alert', '--table', 'living-review-alerts'], {
      LIVING_REVIEW_ALERT_TOPIC_ARN: TOPIC,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(sns.published).toHaveLength(1);
    expect(sns.published[0]).toMatchObject({
      topicArn: TOPIC,
      subject: expect.stringContaining('3 new record'),
    });
    expect(sns.published[0]?.message).toContain('Group peer support for adults with severe mental illness');
    expect(sns.published[0]?.message).toContain('# living-review digest');
    // Told to the team, not to the operator's terminal.
    expect(run.stdout).not.toContain('# living-review digest');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('extract import that moves a conclusion tells the team through the topic', async () => {
    await remote.createReviewTable('living-review-extract');
    const file = join(tempDir('extract'), 'data.csv');
    const extract = () =>
      cli(['extract', 'import', file, '--format', 'metapsy', '--table', 'living-review-extract', '--json'], {
        LIVING_REVIEW_ALERT_TOPIC_ARN: TOPIC,
        AWS_ENDPOINT_URL_SNS: sns.endpoint,
      });
    writeFileSync(file, metapsyText());
    expect((await extract()).code).toBe(0);
    const before = sns.published.length;
    // Row 8 is Cook 2012a's recovery result: a much larger mean moves the pooled estimate by more than 0.1.
    writeFileSync(file, withCell(metapsyText(), 8, 'mean_arm1', '112,9'));
    const second = await extract();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).analysis).toMatchObject({ version: 2, created: true });
    const told = sns.published.slice(before);
    expect(told).toEqual([
      expect.objectContaining({ topicArn: TOPIC, subject: expect.stringContaining('changed a conclusion') }),
    ]);
    expect(told[0]?.message).toMatch(/recovery \(post\): estimate moved from 0\.24 to/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
