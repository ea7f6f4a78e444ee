/**
 * Least privilege for the two functions that bring data in (see table-access.test.ts for the others): every
 * review-table request the seed function sends on an empty table, and the import function sends for a record file,
 * an outcome-data file and a refused file, must be one its grant in infra/table-access.ts allows; and what the
 * other functions may not do (write documents, publish, move a watermark) stays denied to these two.
 */
import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CyclePorts } from '#shared/cycle.ts';
import { s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';
import { itemKeys } from '#shared/store/dynamo.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { s3UploadReader } from '#shared/uploads/s3-reader.ts';
import { encodeMetadata, UPLOAD_METADATA, uploadKey } from '#shared/uploads/upload-key.ts';
import { metapsyText, withCell } from '#test/support/extraction-fixtures.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { groupPeerSupportSeed, groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { memoryStore, steppingClock } from '#test/support/store.ts';
import { actionsIn, denied, permitted, recordTableCalls, type TableCall } from '#test/support/table-calls.ts';
import { createImportUploadHandler } from '../../../functions/import-upload/handler.ts';
import { createSeedHandler } from '../../../functions/seed/handler.ts';
import { TABLE_ACCESS } from '../../../infra/table-access.ts';

const silent = new Logger({ logLevel: 'SILENT' });
const UPLOADS = 'uploads-bucket';

let local: LocalStore;
let ports: CyclePorts;
let callsOf: (work: () => Promise<unknown>) => Promise<TableCall[]>;

beforeAll(async () => {
  local = await memoryStore();
  callsOf = recordTableCalls(local);
  ports = {
    review,
    store: local.store,
    clock: steppingClock('2026-12-01T06:00:00.000Z'),
    notifier: { send: async () => {} },
  };
});

afterAll(async () => {
  await local.close();
});

const writesTo = (calls: TableCall[], prefix: string) =>
  calls.some(
    (call) => call.action === 'dynamodb:PutItem' && call.partitions.some((pk) => pk.startsWith(prefix)),
  );

describe('the review-table access of the functions that bring data in', () => {
  it('covers what the seed sends on an empty table: baseline, data, analysis and publish', async () => {
    const site = fakeS3('site');
    const seed = createSeedHandler({
      logger: silent,
      ports,
      seed: groupPeerSupportSeed,
      target: { site: s3SiteWriter(site.calls, 'site'), siteLocation: 's3://site/' },
    });
    const calls = await callsOf(() => seed());
    for (const prefix of ['REC#', 'DOC#study-event#', 'DOC#extraction-part#', 'ANALYSIS', 'PUBLISH']) {
      expect(writesTo(calls, prefix), prefix).toBe(true);
    }
    expect(actionsIn(calls)).toEqual(
      expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']),
    );
    expect(denied(TABLE_ACCESS.seed, calls)).toEqual([]);
  }, 120_000);

  it('covers what the import sends for records, outcome data and a refused file', async () => {
    const bucket = fakeS3(UPLOADS);
    const handler = createImportUploadHandler({
      logger: silent,
      ports,
      bucket: UPLOADS,
      read: s3UploadReader(bucket.calls, UPLOADS),
    });
    const files = [
      ['ris', readFileSync(new URL('../../fixtures/ris/embase.ris', import.meta.url))],
      // Changed, so the import stores a new file's worth of data and a new analysis version.
      ['metapsy', Buffer.from(withCell(metapsyText(), 1, 'mean_arm1', '99'))],
      ['csv', Buffer.from('study,outcome\nTrial,recovery\n')],
    ] as const;
    const calls = await callsOf(async () => {
      for (const [index, [kind, bytes]] of files.entries()) {
        const key = uploadKey({ kind, day: '2026-12-01', id: `6f1c2d3e-4a5b-4c6d-8e7f-00112233445${index}` });
        const etag = bucket.upload(key, bytes, {
          [UPLOAD_METADATA.uploadedBy]: encodeMetadata('ana'),
          [UPLOAD_METADATA.fileName]: `${kind}-file`,
        });
        await handler({
          source: 'aws.s3',
          'detail-type': 'Object Created',
          time: '2026-12-01T06:30:00Z',
          detail: { bucket: { name: UPLOADS }, object: { key, etag, size: bytes.byteLength } },
        });
      }
    });
    for (const prefix of ['REC#', 'DOC#extraction-file#', 'DOC#upload#', 'ANALYSIS']) {
      expect(writesTo(calls, prefix), prefix).toBe(true);
    }
    expect(denied(TABLE_ACCESS.importUpload, calls)).toEqual([]);
  }, 120_000);

  it('lets neither publish nor move a watermark or write study changes it does not make', () => {
    const put = (pk: string) => ({ action: 'dynamodb:PutItem', partitions: [pk] });
    const watermark = put(itemKeys.watermark('pubmed').pk);
    const published = put(
      itemKeys.publish({ publishedAt: 'x', analysisVersion: 1, location: 's3://site/', details: {} }).pk,
    );
    const studyEvent = put(itemKeys.document('study-event', 'e1').pk);
    const otherDocument = put(itemKeys.document('study', 's1').pk);
    for (const call of [watermark, published, studyEvent, otherDocument]) {
      expect(permitted(TABLE_ACCESS.importUpload, call), JSON.stringify(call)).toBe(false);
    }
    for (const call of [watermark, otherDocument, put(itemKeys.document('upload', 'k').pk)]) {
      expect(permitted(TABLE_ACCESS.seed, call), JSON.stringify(call)).toBe(false);
    }
    // And the functions that existed before write no document at all.
    for (const access of [
      TABLE_ACCESS.poll,
      TABLE_ACCESS.reanalyse,
      TABLE_ACCESS.publish,
      TABLE_ACCESS.screening,
    ]) {
      expect(permitted(access, put(itemKeys.document('upload', 'k').pk))).toBe(false);
      expect(permitted(access, studyEvent)).toBe(false);
    }
  });
});
