/** Scheduled poll of ClinicalTrials.gov (EventBridge Scheduler, daily by default). */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { type PollReport, pollHandlerFromEnv } from '#shared/lambda/poll.ts';

const logger = new Logger();
let deployed: ((event: unknown, context: Context) => Promise<PollReport>) | undefined;

export async function handler(event: unknown, context: Context): Promise<PollReport> {
  deployed ??= pollHandlerFromEnv('ctgov', process.env, logger);
  return deployed(event, context);
}
