/**
 * Imports a large upload: S3's "Object Created" event for a key under uploads/ (through EventBridge) → read the
 * object → the same import as the workbench by the kind in its key (records: ingest with the review's
 * dual-screening share, the team told once of what is new; outcome data: importStudyData, then the reanalysis) →
 * the result stored as an `upload` document, which the workbench lists. Publishing follows a new analysis version
 * through the table stream, as for every version, so this function has no access to the site.
 *
 * A refused file is a result, not a failure: its message is stored and the event is done. Anything else fails the
 * invocation, so Lambda retries it (twice) and then parks the event in the dead-letter queue, which alarms. A
 * retried or repeated event imports nothing twice (shared/uploads/import-upload.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { CyclePorts } from '#shared/cycle.ts';
import { ConfigError } from '#shared/errors.ts';
import { cyclePortsFromEnv } from '#shared/lambda/clients.ts';
import { requiredEnv } from '#shared/lambda/env.ts';
import { importUpload, type UploadedObject, type UploadResult } from '#shared/uploads/import-upload.ts';
import { parseObjectCreated } from '#shared/uploads/object-created.ts';
import { s3UploadCalls, s3UploadReader } from '#shared/uploads/s3-reader.ts';

export interface ImportUploadReport {
  key: string;
  outcome: UploadResult['outcome'];
  /** True when the event had been handled before (a retry or a repeated delivery): nothing was done. */
  repeated: boolean;
}

export interface ImportUploadDeps {
  logger: Logger;
  ports: CyclePorts;
  /** The upload bucket this function serves; an event from any other bucket is refused. */
  bucket: string;
  read: (key: string) => Promise<UploadedObject | undefined>;
}

export function createImportUploadHandler(deps: ImportUploadDeps) {
  return async (event: unknown): Promise<ImportUploadReport> => {
    const created = parseObjectCreated(event);
    if (created.bucket !== deps.bucket) {
      throw new ConfigError(
        `an event from bucket ${created.bucket}; this function imports from ${deps.bucket}`,
      );
    }
    const { result, repeated } = await importUpload(
      deps.ports.review,
      { ...deps.ports, read: deps.read },
      created,
    );
    const report = { key: result.key, outcome: result.outcome, repeated };
    deps.logger.info('upload handled', {
      ...report,
      kind: result.kind,
      uploadedBy: result.uploadedBy,
      ...(result.message ? { message: result.message } : {}),
      ...(result.records ? { records: result.records } : {}),
      ...(result.data ? { data: result.data } : {}),
      ...(result.analysis ? { analysis: result.analysis } : {}),
    });
    return report;
  };
}

const logger = new Logger();
let deployed: ReturnType<typeof createImportUploadHandler> | undefined;

function coldStart(env: Record<string, string | undefined>) {
  const runtime = cyclePortsFromEnv(env);
  const { uploadBucket } = requiredEnv(env, ['uploadBucket']);
  return createImportUploadHandler({
    logger,
    ports: runtime.ports,
    bucket: uploadBucket,
    read: s3UploadReader(s3UploadCalls(new S3Client({ region: runtime.region })), uploadBucket),
  });
}

export async function handler(event: unknown): Promise<ImportUploadReport> {
  deployed ??= coldStart(process.env);
  return deployed(event);
}
