import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createReanalyseHandler, type ReanalyseReport } from '../../../functions/reanalyse/handler.ts';

const REPORT: ReanalyseReport = { version: 3, created: true, changes: 1, material: 0, alerted: false };
const context = {} as Context;
const silent = new Logger({ logLevel: 'SILENT' });

function streamBatch(...sequenceNumbers: string[]) {
  return {
    Records: sequenceNumbers.map((SequenceNumber) => ({
      eventSource: 'aws:dynamodb',
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber, Keys: { pk: { S: 'MARKER#included-data' }, sk: { S: 'MARKER' } } },
    })),
  };
}

function recordingHandler(reanalyse: (reason: string) => Promise<ReanalyseReport>) {
  const scheduledEvents: unknown[] = [];
  const reasons: string[] = [];
  const handler = createReanalyseHandler({
    logger: silent,
    reanalyse: (reason) => {
      reasons.push(reason);
      return reanalyse(reason);
    },
    scheduled: async (event) => {
      scheduledEvents.push(event);
      return REPORT;
    },
  });
  return { handler, scheduledEvents, reasons };
}

describe('the reanalyse handler', () => {
  it('reanalyses once for a whole stream batch and reports no failures', async () => {
    const { handler, reasons } = recordingHandler(async () => REPORT);
    expect(await handler(streamBatch('100', '101', '102'), context)).toEqual({ batchItemFailures: [] });
    expect(reasons).toEqual(['included data changed']);
  });

  it('reports the batch from its first record as failed when the reanalysis fails, so Lambda retries it', async () => {
    const { handler } = recordingHandler(async () => {
      throw new Error('table throttled');
    });
    expect(await handler(streamBatch('200', '201'), context)).toEqual({
      batchItemFailures: [{ itemIdentifier: '200' }],
    });
  });

  it('hands anything that is not a stream batch to the once-per-schedule nightly run', async () => {
    const { handler, scheduledEvents, reasons } = recordingHandler(async () => REPORT);
    const nightly = {
      scheduleArn: 'arn:aws:scheduler:eu-west-2:1:schedule/default/x',
      scheduledTime: '2026-11-21T02:00:00Z',
    };
    expect(await handler(nightly, context)).toEqual(REPORT);
    expect(scheduledEvents).toEqual([nightly]);
    expect(reasons).toEqual([]);
  });
});
