import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledHandler } from '#shared/lambda/scheduled.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { createIdempotencyTable, memoryStore } from '#test/support/store.ts';

const IDEMPOTENCY_TABLE = 'idempotency';
const SCHEDULE = 'arn:aws:scheduler:eu-west-2:123456789012:schedule/default/poll-pubmed';
const silent = new Logger({ logLevel: 'SILENT' });

/** Enough of a Lambda context for Powertools to track the remaining time. */
function lambdaContext(): Context {
  return { getRemainingTimeInMillis: () => 60_000, functionName: 'poll-pubmed' } as unknown as Context;
}

function run(scheduledTime: string, executionId = 'exec-1') {
  return { scheduleArn: SCHEDULE, scheduledTime, executionId };
}

let local: LocalStore;

beforeAll(async () => {
  local = await memoryStore();
  await createIdempotencyTable(local, IDEMPOTENCY_TABLE);
});

afterAll(async () => {
  await local.close();
});

function countingHandler(work: (calls: number) => Promise<{ polled: number }>) {
  let calls = 0;
  const handler = scheduledHandler({
    logger: silent,
    dynamo: local.client,
    idempotencyTable: IDEMPOTENCY_TABLE,
    run: () => {
      calls += 1;
      return work(calls);
    },
  });
  return { handler, calls: () => calls };
}

describe('a scheduled run on Lambda', () => {
  it('runs once for a retried delivery of the same scheduled time, even with a new execution id', async () => {
    const { handler, calls } = countingHandler(async (n) => ({ polled: n }));
    const first = await handler(run('2026-11-21T05:00:00Z', 'exec-a'), lambdaContext());
    const retried = await handler(run('2026-11-21T05:00:00Z', 'exec-b'), lambdaContext());
    expect(calls()).toBe(1);
    expect(retried).toEqual(first);
  });

  it('runs again for the next scheduled time', async () => {
    const { handler, calls } = countingHandler(async (n) => ({ polled: n }));
    await handler(run('2026-11-22T05:00:00Z'), lambdaContext());
    await handler(run('2026-11-23T05:00:00Z'), lambdaContext());
    expect(calls()).toBe(2);
  });

  it('does not remember a failed run, so the retry does the work', async () => {
    const { handler, calls } = countingHandler(async (n) => {
      if (n === 1) throw new Error('PubMed unavailable');
      return { polled: n };
    });
    await expect(handler(run('2026-11-24T05:00:00Z'), lambdaContext())).rejects.toThrow('PubMed unavailable');
    expect(await handler(run('2026-11-24T05:00:00Z'), lambdaContext())).toEqual({ polled: 2 });
    expect(calls()).toBe(2);
  });

  it('refuses a payload that is not a scheduled run before doing anything', async () => {
    const { handler, calls } = countingHandler(async (n) => ({ polled: n }));
    await expect(handler({ source: 'manual' }, lambdaContext())).rejects.toThrow(/not a scheduled run/);
    expect(calls()).toBe(0);
  });
});
