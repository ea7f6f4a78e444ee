/**
 * Scheduled publish (EventBridge Scheduler, daily by default): the cycle's `publishPage` writing the page of the
 * latest analysis to the site bucket through the S3 SiteWriter, at most once per scheduled time.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { type PublishSummary, publishPage } from '#shared/cycle.ts';
import { cycleRuntimeFromEnv } from '#shared/lambda/clients.ts';
import { requiredEnv } from '#shared/lambda/env.ts';
import { scheduledHandler } from '#shared/lambda/scheduled.ts';
import { s3ObjectCalls, s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';

export interface PublishReport {
  analysisVersion: number;
  location: string;
  written: number;
  unchanged: number;
  removed: number;
}

export function publishReport(summary: PublishSummary): PublishReport {
  return {
    analysisVersion: summary.analysisVersion,
    location: summary.location,
    written: summary.written.length,
    unchanged: summary.unchanged.length,
    removed: summary.removed.length,
  };
}

const logger = new Logger();
let deployed: ((event: unknown, context: Context) => Promise<PublishReport>) | undefined;

function coldStart(env: Record<string, string | undefined>) {
  const runtime = cycleRuntimeFromEnv(env);
  const { siteBucket } = requiredEnv(env, ['siteBucket']);
  const siteUrl = env[LAMBDA_ENV.siteUrl]?.trim();
  const site = s3SiteWriter(s3ObjectCalls(new S3Client({ region: runtime.region })), siteBucket);
  return scheduledHandler({
    logger,
    dynamo: runtime.dynamo,
    idempotencyTable: runtime.idempotencyTable,
    run: async () =>
      publishReport(
        await publishPage({
          ...runtime.ports,
          site,
          siteLocation: `s3://${siteBucket}/`,
          ...(siteUrl ? { siteUrl } : {}),
        }),
      ),
  });
}

export async function handler(event: unknown, context: Context): Promise<PublishReport> {
  deployed ??= coldStart(process.env);
  return deployed(event, context);
}
