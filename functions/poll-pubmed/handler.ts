/**
 * Scheduled poll of PubMed (EventBridge Scheduler, daily by default). The NCBI API key is read from the SSM
 * SecureString parameter named by LIVING_REVIEW_NCBI_KEY_PARAMETER once per process, before the first poll.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { readSecureParameter, ssmParameterCalls } from '#shared/config/secrets.ts';
import { requiredEnv } from '#shared/lambda/env.ts';
import { type PollReport, pollHandlerFromEnv } from '#shared/lambda/poll.ts';

const logger = new Logger();
let deployed: Promise<(event: unknown, context: Context) => Promise<PollReport>> | undefined;

async function coldStart(env: Record<string, string | undefined>) {
  const { ncbiKeyParameter } = requiredEnv(env, ['ncbiKeyParameter']);
  const ssm = new SSMClient({ region: env.AWS_REGION });
  const apiKey = await readSecureParameter(ssmParameterCalls(ssm), ncbiKeyParameter);
  return pollHandlerFromEnv('pubmed', env, logger, apiKey);
}

export async function handler(event: unknown, context: Context): Promise<PollReport> {
  // A failed cold start (say, the parameter is missing) is retried on the next invocation, not cached.
  deployed ??= coldStart(process.env).catch((error: unknown) => {
    deployed = undefined;
    throw error;
  });
  return (await deployed)(event, context);
}
