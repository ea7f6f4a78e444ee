/**
 * Stores the review's baseline in a fresh deployment, as every local cycle does first: the reports the published
 * review included (marked included by its authors, grouped into its trials) and the data files its review file
 * names, then the analysis and the page, so the first page of a deployment shows what the local demo shows.
 * A CDK Trigger invokes it after each deployment that changes it (its code, or the review folder bundled beside
 * it). Every step is idempotent: a second run on a seeded table adds nothing, makes no new analysis version and
 * rewrites no file of the site (publishing writes only files whose bytes changed).
 *
 * It publishes itself rather than waiting for the stream trigger: on a first deployment the stream's event source
 * mapping may not be reading yet when the first version is stored.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { type CyclePorts, publishPage, reanalyseReview } from '#shared/cycle.ts';
import { cyclePortsFromEnv } from '#shared/lambda/clients.ts';
import { requiredEnv } from '#shared/lambda/env.ts';
import { s3ObjectCalls, s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';
import type { SiteWriter } from '#shared/publishing/site-writer.ts';
import { reviewSeed } from '#shared/review/seed-files.ts';
import { type ReviewSeed, seedReview } from '#shared/seed.ts';

export interface SeedReport {
  newIncludedRecords: number;
  decisionsAdded: number;
  candidatesQueued: number;
  analysisVersion: number;
  analysisCreated: boolean;
  /** Files of the site written, and left as they were. */
  published: { written: number; unchanged: number; removed: number };
}

export interface SeedDeps {
  logger: Logger;
  ports: CyclePorts;
  /** The review's baseline files, read when the handler runs. */
  seed: () => ReviewSeed;
  target: { site: SiteWriter; siteLocation: string; siteUrl?: string };
}

export function createSeedHandler(deps: SeedDeps) {
  return async (): Promise<SeedReport> => {
    const { ports } = deps;
    const seeded = await seedReview(ports.review, ports, deps.seed());
    const analysis = await reanalyseReview(ports, 'baseline stored');
    const published = await publishPage({ ...ports, ...deps.target });
    const report: SeedReport = {
      newIncludedRecords: seeded.newIncludedRecords,
      decisionsAdded: seeded.decisionsAdded,
      candidatesQueued: seeded.candidatesQueued.length,
      analysisVersion: analysis.version,
      analysisCreated: analysis.created,
      published: {
        written: published.written.length,
        unchanged: published.unchanged.length,
        removed: published.removed.length,
      },
    };
    deps.logger.info('baseline seeded', { ...report });
    return report;
  };
}

const logger = new Logger();
let deployed: ReturnType<typeof createSeedHandler> | undefined;

function coldStart(env: Record<string, string | undefined>) {
  const runtime = cyclePortsFromEnv(env);
  const { siteBucket } = requiredEnv(env, ['siteBucket']);
  const siteUrl = env[LAMBDA_ENV.siteUrl]?.trim();
  return createSeedHandler({
    logger,
    ports: runtime.ports,
    seed: () => reviewSeed(runtime.ports.review),
    target: {
      site: s3SiteWriter(s3ObjectCalls(new S3Client({ region: runtime.region })), siteBucket),
      siteLocation: `s3://${siteBucket}/`,
      ...(siteUrl ? { siteUrl } : {}),
    },
  });
}

/** The Trigger's invocation carries nothing the seed needs; a failure fails the deployment, which rolls back. */
export async function handler(): Promise<SeedReport> {
  deployed ??= coldStart(process.env);
  return deployed();
}
