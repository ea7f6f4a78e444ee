/**
 * A large upload from the browser to its result on the imports page, in headless Chromium under the workbench's
 * real Content-Security-Policy: the reviewer picks what the file is, the workbench signs an upload form for it,
 * the browser posts the file straight to the bucket (a stand-in for S3's POST endpoint that applies S3's policy
 * rules, test/support/fake-s3-post.ts) and S3 sends it back; the import function, given the bucket's "Object
 * Created" event, imports it; the page lists the result. With JavaScript the file's name travels with the upload;
 * without it the form still works and the upload is named by its key. A bad CSV is refused with the message naming
 * its row, and nothing of it is stored. axe-core finds no violation on the two steps and the results.
 */
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { s3UploadPresigner } from '#shared/uploads/presign.ts';
import { s3UploadReader } from '#shared/uploads/s3-reader.ts';
import { decodeMetadata, UPLOAD_METADATA } from '#shared/uploads/upload-key.ts';
import { createWorkbench } from '#shared/web/app.ts';
import { localAuthenticator } from '#shared/web/local-auth.ts';
import { listenLocally, type RunningWorkbench } from '#shared/web/node-server.ts';
import { axeViolations, launchChromium } from '#test/support/browser.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { type FakeS3Post, startFakeS3Post } from '#test/support/fake-s3-post.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { dumpTable, memoryStore } from '#test/support/store.ts';
import { tempFile } from '#test/support/temp-files.ts';
import { createImportUploadHandler } from '../../functions/import-upload/handler.ts';

const BUCKET = 'living-review-uploads';
const REGION = 'eu-west-2';
const CREDENTIALS = { accessKeyId: 'AKIATESTUPLOADS', secretAccessKey: 'test-secret-for-uploads' };
const RIS = join(import.meta.dirname, '..', 'fixtures', 'ris', 'psycinfo.ris');

let local: LocalStore;
let bucket: ReturnType<typeof fakeS3>;
let s3: FakeS3Post;
let workbench: RunningWorkbench;
let browser: Browser;
let importUpload: ReturnType<typeof createImportUploadHandler>;
const violations: Record<string, string[]> = {};

beforeAll(async () => {
  local = await memoryStore();
  bucket = fakeS3(BUCKET);
  s3 = await startFakeS3Post(bucket, BUCKET, CREDENTIALS, REGION);
  const client = new S3Client({
    region: REGION,
    // Another site than the workbench (127.0.0.1), as S3 is in AWS: its redirect back is a cross-site navigation.
    endpoint: s3.endpoint.replace('127.0.0.1', 'localhost'),
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
  const ports = { review, store: local.store, clock: systemClock, notifier: { send: async () => {} } };
  const app = createWorkbench({
    ...ports,
    auth: localAuthenticator(),
    cookies: { secure: false },
    publish: async () => {
      throw new Error('small uploads are not used here');
    },
    uploads: s3UploadPresigner(client, BUCKET),
  });
  workbench = await listenLocally(app, 0);
  importUpload = createImportUploadHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    ports,
    bucket: BUCKET,
    read: s3UploadReader(bucket.calls, BUCKET),
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workbench?.close();
  await s3?.close();
  await local?.close();
});

async function signIn(name: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${workbench.url}/signin`);
  await page.fill('#name', name);
  await page.click('button[type=submit]');
  await page.waitForURL(`${workbench.url}/`);
  return page;
}

/** What the bucket tells EventBridge once the browser's upload is stored, handed to the import function. */
async function objectCreated(key: string) {
  const object = bucket.objects.get(key);
  if (!object) throw new Error(`nothing uploaded under ${key}`);
  return importUpload({
    'detail-type': 'Object Created',
    source: 'aws.s3',
    time: new Date().toISOString(),
    detail: {
      bucket: { name: BUCKET },
      object: { key, size: object.bytes.byteLength, etag: 'from-the-event' },
    },
  });
}

/** Chooses the kind, then posts the file through the signed form; returns the key S3 sent the browser back with. */
async function uploadLarge(page: Page, kind: string, file: string): Promise<string> {
  await page.goto(`${workbench.url}/imports`);
  await page.check(`#large-kind-${kind}`);
  await Promise.all([page.waitForURL(/large=/), page.click('text=Continue')]);
  await page.setInputFiles('#large-file', file);
  // S3 sends the browser to the landing page, which goes on to the imports page by itself.
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/imports' && url.searchParams.has('key')),
    page.click('button:text("Upload")'),
  ]);
  return new URL(page.url()).searchParams.get('key') ?? '';
}

const main = (page: Page) => page.locator('main').innerText();

describe('a large upload, from the browser to its result', () => {
  it('uploads a RIS file straight to the bucket under the real CSP and shows its import', async () => {
    const ana = await signIn('Ana');
    const key = await uploadLarge(ana, 'ris', RIS);

    expect(key).toMatch(/^uploads\/ris\/\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}$/);
    expect(s3.refused).toEqual([]);
    expect(await main(ana)).toContain('Your file was uploaded. It is being imported');
    const stored = bucket.objects.get(key);
    expect(decodeMetadata(stored?.metadata?.[UPLOAD_METADATA.uploadedBy])).toBe('Ana');
    expect(decodeMetadata(stored?.metadata?.[UPLOAD_METADATA.fileName])).toBe('psycinfo.ris');

    expect(await objectCreated(key)).toMatchObject({ outcome: 'imported', repeated: false });
    await ana.reload();
    const text = await main(ana);
    expect(text).toContain('Your upload psycinfo.ris was imported');
    expect(text).toMatch(
      /Ana\s+psycinfo\.ris\s+RIS \(PsycINFO, Embase, CENTRAL, reference managers\)\s+3 records read: \d new/,
    );
  }, 60_000);

  it('works without JavaScript, and refuses a bad CSV with its message, storing nothing of it', async () => {
    const ben = await signIn('Ben', { javaScriptEnabled: false });
    const csv = tempFile(
      'trial.csv',
      [
        'study,year,format,outcome,timepoint,instrument,arm,role,control_type,mean,sd,n',
        'Trial 2020,2020,group,recovery,post,QPR,Peer group,intervention,,57.5,16,58',
        'Trial 2020,2020,group,recovery,post,QPR,Usual care,control,tau,55,-16.5,57',
      ].join('\n'),
    );
    const key = await uploadLarge(ben, 'csv', csv);
    expect(s3.refused).toEqual([]);
    // No script filled in the name: the upload is named by its key.
    expect(bucket.objects.get(key)?.metadata?.[UPLOAD_METADATA.fileName]).toBe('');
    const before = await dumpTable(local);

    expect(await objectCreated(key)).toMatchObject({ outcome: 'refused' });

    const added = (await dumpTable(local)).filter((item) => !before.includes(item));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain('"DOC#upload#');
    await ben.reload();
    expect(await main(ben)).toMatch(
      new RegExp(
        `Ben\\s+upload ${key.split('/').at(-1)}\\s+Outcome data: the project CSV\\s+Refused, nothing stored: .*row 2, column "sd"`,
      ),
    );
  }, 60_000);

  it('has no axe-core violation on the kind step, the form step and the results', async () => {
    const page = await signIn('Cai', { bypassCSP: true });
    await page.goto(`${workbench.url}/imports`);
    violations['choose kind'] = await axeViolations(page);
    await page.goto(`${workbench.url}/imports?large=pubmed`);
    violations['upload form'] = await axeViolations(page);
    await page.goto(`${workbench.url}/imports?large=pdf`);
    violations['kind refused'] = await axeViolations(page);
    expect(violations).toEqual({ 'choose kind': [], 'upload form': [], 'kind refused': [] });
  }, 60_000);
});
