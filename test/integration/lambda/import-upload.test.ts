/**
 * The import of large uploads as deployed (functions/import-upload), on dynalite and an in-memory bucket: S3's
 * "Object Created" event as EventBridge delivers it → the object read back with its metadata → the same import as
 * the workbench → the result stored as an `upload` document. A bad file is refused with the message naming its row
 * and nothing of it is stored; the same event twice (or a retry of a run that died before storing its result)
 * stores nothing twice.
 */
import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamAlert } from '#shared/alerts/notifier.ts';
import type { CyclePorts } from '#shared/cycle.ts';
import { ConfigError } from '#shared/errors.ts';
import { readRecordFile } from '#shared/records/read-file.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { importFile } from '#shared/uploads/import-file.ts';
import { recentUploads, UPLOAD_RESULT_KIND, type UploadResult } from '#shared/uploads/import-upload.ts';
import { s3UploadReader } from '#shared/uploads/s3-reader.ts';
import { encodeMetadata, UPLOAD_METADATA, uploadKey } from '#shared/uploads/upload-key.ts';
import { metapsyText } from '#test/support/extraction-fixtures.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { dumpTable, memoryStore, steppingClock } from '#test/support/store.ts';
import { createImportUploadHandler } from '../../../functions/import-upload/handler.ts';

const BUCKET = 'living-review-uploads';
const silent = new Logger({ logLevel: 'SILENT' });
const RIS = readFileSync(new URL('../../fixtures/ris/psycinfo.ris', import.meta.url));

let local: LocalStore;
let alerts: TeamAlert[];
let ports: CyclePorts;

beforeEach(async () => {
  local = await memoryStore();
  alerts = [];
  ports = {
    review,
    store: local.store,
    clock: steppingClock('2026-12-01T10:00:00.000Z'),
    notifier: { send: async (alert) => void alerts.push(alert) },
  };
});

afterEach(async () => {
  await local.close();
});

function setUp() {
  const bucket = fakeS3(BUCKET);
  const handler = createImportUploadHandler({
    logger: silent,
    ports,
    bucket: BUCKET,
    read: s3UploadReader(bucket.calls, BUCKET),
  });
  return { bucket, handler };
}

/** An upload as the workbench's signed form makes it: the key, the uploader's id and the file's name. */
function upload(
  bucket: ReturnType<typeof fakeS3>,
  kind: 'ris' | 'csv' | 'metapsy',
  bytes: Uint8Array,
  fileName: string,
  id: string,
) {
  const key = uploadKey({ kind, day: '2026-12-01', id });
  const etag = bucket.upload(key, bytes, {
    [UPLOAD_METADATA.uploadedBy]: encodeMetadata('ana@example.org'),
    [UPLOAD_METADATA.fileName]: encodeMetadata(fileName),
  });
  return { key, etag, event: objectCreated(key, etag, bytes.byteLength) };
}

/** S3's "Object Created" event as EventBridge delivers it to the function. */
function objectCreated(key: string, etag: string, size: number, bucket = BUCKET) {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2026-12-01T09:59:00Z',
    region: 'eu-west-2',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      // EventBridge gives the ETag without S3's quotes.
      object: { key, size, etag: etag.replaceAll('"', ''), sequencer: '617f08299329d189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      reason: 'PostObject',
    },
  };
}

const resultOf = async (key: string) =>
  (await local.store.getDocument(UPLOAD_RESULT_KIND, key))?.body as UploadResult | undefined;

const ID = ['6f1c2d3e-4a5b-4c6d-8e7f-001122334455', '6f1c2d3e-4a5b-4c6d-8e7f-001122334456'] as const;

describe('the import of a large upload', () => {
  it('imports a RIS upload as the workbench would, and records who, when, what and the counts', async () => {
    const { bucket, handler } = setUp();
    const { key, event } = upload(bucket, 'ris', RIS, 'PsycINFO export – Rüsch.ris', ID[0]);
    const records = readRecordFile('ris', RIS, 'psycinfo.ris');

    expect(await handler(event)).toEqual({ key, outcome: 'imported', repeated: false });

    const stored = await local.store.getCopies(records.map((record) => record.id));
    expect([...stored.keys()].sort()).toEqual(records.map((record) => record.id).sort());
    const result = await resultOf(key);
    expect(result).toMatchObject({
      key,
      kind: 'ris',
      fileName: 'PsycINFO export – Rüsch.ris',
      uploadedBy: 'ana@example.org',
      uploadedAt: '2026-12-01T09:59:00Z',
      outcome: 'imported',
      records: { read: records.length, alreadyStored: 0, updated: 0 },
    });
    expect((result?.records?.new ?? 0) + (result?.records?.duplicates ?? 0)).toBe(records.length);
    expect(result?.records?.new).toBeGreaterThan(0);
    expect(result?.message).toBeUndefined();
    // The team hears of what is new once, as with any import.
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.markdown).toContain(records[0]?.title);
    expect(await recentUploads(local.store)).toEqual([result]);
  });

  it('handles the same event twice without storing or alerting anything the second time', async () => {
    const { bucket, handler } = setUp();
    const { key, event } = upload(bucket, 'ris', RIS, 'psycinfo.ris', ID[0]);
    await handler(event);
    const before = await dumpTable(local);
    const alertsBefore = alerts.length;

    expect(await handler(event)).toEqual({ key, outcome: 'imported', repeated: true });

    expect(await dumpTable(local)).toEqual(before);
    expect(alerts).toHaveLength(alertsBefore);
  });

  it('imports nothing twice when a run died after importing and before storing its result', async () => {
    const { bucket, handler } = setUp();
    const { key, event } = upload(bucket, 'ris', RIS, 'psycinfo.ris', ID[0]);
    // What the dead run did: the whole import, with the label the function gives it.
    const first = await importFile(review, ports, {
      kind: 'ris',
      bytes: RIS,
      name: 'psycinfo.ris',
      label: 'upload ris by ana@example.org',
      reason: 'upload of psycinfo.ris',
    });
    if (first.type !== 'records') throw new Error('a RIS file is records');
    const copies = (await dumpTable(local)).filter((item) => item.includes('"COPY"'));

    await handler(event);

    expect((await dumpTable(local)).filter((item) => item.includes('"COPY"'))).toEqual(copies);
    expect((await resultOf(key))?.records).toMatchObject({ new: 0, updated: 0 });
    expect(alerts).toHaveLength(1);
  });

  it('refuses a bad CSV with the message naming its row and column, and stores nothing of it', async () => {
    const { bucket, handler } = setUp();
    const header =
      'study,year,country,format,intervention_category,structured,severe,n_randomised,outcome,timepoint,weeks,' +
      'instrument,arm,role,control_type,mean,sd,n';
    const study = 'Trial 2020,2020,UK,group,peer support group: self-management,yes,no,120';
    const csv = [
      header,
      `${study},recovery,post,12,QPR,Peer group,intervention,,57.5,16,58`,
      `${study},recovery,post,12,QPR,Usual care,control,tau,55,-16.5,57`,
    ].join('\n');
    const before = await dumpTable(local);
    const { key, event } = upload(bucket, 'csv', Buffer.from(csv), 'trial-2020.csv', ID[0]);

    expect(await handler(event)).toEqual({ key, outcome: 'refused', repeated: false });

    const result = await resultOf(key);
    expect(result).toMatchObject({ outcome: 'refused', kind: 'csv', fileName: 'trial-2020.csv' });
    expect(result?.message).toMatch(/row 2, column "sd": -16\.5 must be greater than 0/);
    expect(result?.data).toBeUndefined();
    // The result document is the only thing written.
    const added = (await dumpTable(local)).filter((item) => !before.includes(item));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain(`"DOC#${UPLOAD_RESULT_KIND}#`);
    expect(alerts).toEqual([]);
  });

  it('imports outcome data as extract import does and records the analysis version it led to', async () => {
    const { bucket, handler } = setUp();
    const { key, event } = upload(bucket, 'metapsy', Buffer.from(metapsyText()), 'metapsy-data.csv', ID[1]);

    expect(await handler(event)).toEqual({ key, outcome: 'imported', repeated: false });

    const result = await resultOf(key);
    const latest = await local.store.latestAnalysisVersion();
    expect(latest).toBeDefined();
    expect(result?.analysis).toEqual({ version: latest?.version, created: true });
    expect(result?.data?.studies).toBeGreaterThan(0);
    // Nobody assessed these studies in this store: each waits in the queue as a candidate record of its data.
    const candidates = (await dumpTable(local)).filter(
      (item) => item.includes('"REC#data:') && item.includes('"COPY"'),
    );
    expect(result?.data?.candidatesQueued).toBe(candidates.length);
    expect(candidates.length).toBeGreaterThan(0);
    expect((await local.store.listDocuments('extraction-file')).map((document) => document.id)).toEqual([
      'metapsy-data.csv',
    ]);
  });

  it('refuses an upload without the signed uploader id, and an object under uploads/ that is no upload', async () => {
    const { bucket, handler } = setUp();
    const anonymous = uploadKey({ kind: 'ris', day: '2026-12-01', id: ID[0] });
    const etag = bucket.upload(anonymous, RIS);
    const stray = 'uploads/notes.txt';
    const strayEtag = bucket.upload(stray, Buffer.from('hello'), {
      [UPLOAD_METADATA.uploadedBy]: 'ana',
    });
    const before = await dumpTable(local);

    expect(await handler(objectCreated(anonymous, etag, RIS.byteLength))).toMatchObject({
      outcome: 'refused',
    });
    expect(await handler(objectCreated(stray, strayEtag, 5))).toMatchObject({ outcome: 'refused' });

    expect((await resultOf(anonymous))?.message).toContain('no uploaded-by metadata');
    expect((await resultOf(stray))?.message).toContain('is not an upload');
    const added = (await dumpTable(local)).filter((item) => !before.includes(item));
    expect(added).toHaveLength(2);
  });

  it('fails (so the event is retried, then parked) on an event from another bucket', async () => {
    const { handler } = setUp();
    const event = objectCreated(uploadKey({ kind: 'ris', day: '2026-12-01', id: ID[0] }), 'e', 1, 'other');
    await expect(handler(event)).rejects.toThrow(ConfigError);
    await expect(handler({ source: 'aws.s3', detail: {} })).rejects.toThrow('not an S3 Object Created event');
  });
});
