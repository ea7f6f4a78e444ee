/**
 * Publishes the page of the latest analysis to the site bucket through the S3 SiteWriter. Two triggers: the
 * table's stream, filtered in the infrastructure to a new analysis version being inserted, so the page follows a
 * new version within a minute; and a nightly schedule as the safety net, at most once per scheduled time. Any
 * stream batch means one publish of whatever version is latest then (publishing writes only files whose bytes
 * changed, so a retried batch or one racing the nightly run leaves the same site). A failed stream batch is
 * reported as a batch item failure from its first record, so Lambda retries it and finally parks it in the
 * dead-letter queue.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { type CyclePorts, type PublishSummary, publishPage } from '#shared/cycle.ts';
import { cycleRuntimeFromEnv } from '#shared/lambda/clients.ts';
import { requiredEnv } from '#shared/lambda/env.ts';
import { scheduledHandler } from '#shared/lambda/scheduled.ts';
import { streamOrScheduled } from '#shared/lambda/stream-trigger.ts';
import { s3ObjectCalls, s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';
import type { SiteWriter } from '#shared/publishing/site-writer.ts';

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

/** Where the page goes: the site writer, the location recorded in the publish log, the public address. */
export interface PublishTarget {
  site: SiteWriter;
  siteLocation: string;
  siteUrl?: string;
}

/** One publish of the latest analysis version, as a report small enough for the logs and the idempotency store. */
export function publishLatest(ports: CyclePorts, target: PublishTarget): () => Promise<PublishReport> {
  return async () => publishReport(await publishPage({ ...ports, ...target }));
}

export interface PublishDeps {
  logger: Logger;
  publish: () => Promise<PublishReport>;
  /** The nightly run, already wrapped to run once per scheduled time. */
  scheduled: (event: unknown, context: Context) => Promise<PublishReport>;
}

export function createPublishHandler(deps: PublishDeps) {
  return streamOrScheduled({
    logger: deps.logger,
    label: 'publish after a new analysis version',
    onChange: deps.publish,
    scheduled: deps.scheduled,
  });
}

const logger = new Logger();
let deployed: ReturnType<typeof createPublishHandler> | undefined;

function coldStart(env: Record<string, string | undefined>) {
  const runtime = cycleRuntimeFromEnv(env);
  const { siteBucket } = requiredEnv(env, ['siteBucket']);
  const siteUrl = env[LAMBDA_ENV.siteUrl]?.trim();
  const publish = publishLatest(runtime.ports, {
    site: s3SiteWriter(s3ObjectCalls(new S3Client({ region: runtime.region })), siteBucket),
    siteLocation: `s3://${siteBucket}/`,
    ...(siteUrl ? { siteUrl } : {}),
  });
  return createPublishHandler({
    logger,
    publish,
    scheduled: scheduledHandler({
      logger,
      dynamo: runtime.dynamo,
      idempotencyTable: runtime.idempotencyTable,
      run: publish,
    }),
  });
}

export async function handler(
  event: unknown,
  context: Context,
): Promise<DynamoDBBatchResponse | PublishReport> {
  deployed ??= coldStart(process.env);
  return deployed(event, context);
}
