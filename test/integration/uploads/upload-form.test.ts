/**
 * The large-upload form: the pre-signed POST the workbench makes (the AWS SDK's createPresignedPost, signed with
 * test credentials) posted as a browser posts it to a stand-in for S3's POST endpoint that applies S3's policy
 * rules; and the imports page that shows it (only where the workbench has an upload bucket), with the bucket
 * added to the page's form-action and no field S3 would refuse.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { s3UploadPresigner, type UploadForm } from '#shared/uploads/presign.ts';
import { decodeMetadata, parseUploadKey, UPLOAD_METADATA } from '#shared/uploads/upload-key.ts';
import { createWorkbench } from '#shared/web/app.ts';
import { CONTENT_SECURITY_POLICY } from '#shared/web/layout.ts';
import { localAuthenticator } from '#shared/web/local-auth.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { type FakeS3Post, startFakeS3Post } from '#test/support/fake-s3-post.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { dumpTable, memoryStore } from '#test/support/store.ts';

const BUCKET = 'living-review-uploads';
const REGION = 'eu-west-2';
const CREDENTIALS = { accessKeyId: 'AKIATESTUPLOADS', secretAccessKey: 'test-secret-for-uploads' };
const REDIRECT = 'http://127.0.0.1:8790/imports';

let bucket: ReturnType<typeof fakeS3>;
let s3: FakeS3Post;
let client: S3Client;
let local: LocalStore;

beforeAll(async () => {
  bucket = fakeS3(BUCKET);
  s3 = await startFakeS3Post(bucket, BUCKET, CREDENTIALS, REGION);
  client = new S3Client({
    region: REGION,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
  local = await memoryStore();
});

afterAll(async () => {
  await s3.close();
  await local.close();
});

/** Posts the form as a browser does: its fields in order, the file last, nothing else. */
async function post(
  form: UploadForm,
  file: Uint8Array,
  extra: Record<string, string> = {},
  fileName = 'a.ris',
) {
  const body = new FormData();
  for (const [name, value] of Object.entries({ ...form.fields, [form.fileNameField]: fileName, ...extra }))
    body.append(name, value);
  body.append('file', new Blob([file]), 'a.ris');
  return fetch(form.url, { method: 'POST', body, redirect: 'manual' });
}

const RIS = new TextEncoder().encode('TY  - JOUR\nTI  - A trial\nPY  - 2020\nER  - \n');

describe('the signed upload form', () => {
  it('lets S3 store the file under the fresh key with the uploader and the file name, and sends the browser back', async () => {
    const presigner = s3UploadPresigner(client, BUCKET);
    const form = await presigner.presignUpload({
      kind: 'ris',
      uploadedBy: 'ana@example.org',
      redirectTo: REDIRECT,
    });
    expect(parseUploadKey(form.key)).toMatchObject({
      kind: 'ris',
      day: new Date().toISOString().slice(0, 10),
    });
    expect(form.url).toBe(`${s3.endpoint}/${BUCKET}`);

    const answer = await post(form, RIS, {}, encodeURIComponent('Rüsch 2020.ris'));

    expect(answer.status).toBe(303);
    const back = new URL(String(answer.headers.get('location')));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('key')).toBe(form.key);
    const stored = bucket.objects.get(form.key);
    expect(stored?.bytes).toEqual(RIS);
    expect(decodeMetadata(stored?.metadata?.[UPLOAD_METADATA.uploadedBy])).toBe('ana@example.org');
    expect(decodeMetadata(stored?.metadata?.[UPLOAD_METADATA.fileName])).toBe('Rüsch 2020.ris');
  });

  it('gives every form its own key', async () => {
    const presigner = s3UploadPresigner(client, BUCKET);
    const request = { kind: 'csv' as const, uploadedBy: 'ana', redirectTo: REDIRECT };
    const [a, b] = await Promise.all([presigner.presignUpload(request), presigner.presignUpload(request)]);
    expect(a.key).not.toBe(b.key);
  });

  it('is refused for another key, another uploader, an extra field, a file too large or an expired form', async () => {
    const small = s3UploadPresigner(client, BUCKET, { maxBytes: 10 });
    const form = await small.presignUpload({ kind: 'ris', uploadedBy: 'ana', redirectTo: REDIRECT });
    const before = bucket.objects.size;
    const refusals = [
      await post(
        { ...form, fields: { ...form.fields, key: 'uploads/ris/2026-12-01/other' } },
        RIS.slice(0, 5),
      ),
      await post(
        { ...form, fields: { ...form.fields, 'x-amz-meta-uploaded-by': 'mallory' } },
        RIS.slice(0, 5),
      ),
      await post(form, RIS.slice(0, 5), { _csrf: 'token' }),
      await post(form, RIS),
    ];
    expect(refusals.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
    expect(s3.refused.slice(-4)).toEqual([
      expect.stringContaining('"key"'),
      expect.stringContaining('uploaded-by'),
      expect.stringContaining('extra input field: _csrf'),
      expect.stringContaining('outside 1..10'),
    ]);
    const expired = await s3UploadPresigner(client, BUCKET, { expiresSeconds: -1 }).presignUpload({
      kind: 'ris',
      uploadedBy: 'ana',
      redirectTo: REDIRECT,
    });
    expect((await post(expired, RIS)).status).toBe(403);
    expect(s3.refused.at(-1)).toContain('expired');
    expect(bucket.objects.size).toBe(before);
  });
});

describe('the imports page', () => {
  /** A signed-in session on the workbench (the local sign-in, as a browser goes through it). */
  async function signedIn(uploads: boolean) {
    const app = createWorkbench({
      review,
      store: local.store,
      clock: systemClock,
      notifier: { send: async () => {} },
      auth: localAuthenticator(),
      cookies: { secure: false },
      publish: async () => {
        throw new Error('nothing is published here');
      },
      ...(uploads ? { uploads: s3UploadPresigner(client, BUCKET) } : {}),
    });
    const signin = await app.request('/signin');
    const csrf = /lr_csrf=([^;]+)/.exec(signin.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const session = await app.request('/signin', {
      method: 'POST',
      headers: { cookie: `lr_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, name: 'Ana', role: 'reviewer' }).toString(),
    });
    const user = /lr_local_user=([^;]+)/.exec(session.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const cookie = `lr_csrf=${csrf}; lr_local_user=${user}`;
    /** Posts a small file through the workbench's own form, with its CSRF token. */
    const postFile = (kind: string, name: string, bytes: Uint8Array) => {
      const body = new FormData();
      body.append('_csrf', csrf);
      body.append('kind', kind);
      body.append('file', new File([bytes], name));
      return app.request('http://workbench.test/imports', { method: 'POST', headers: { cookie }, body });
    };
    const get = (path: string) =>
      app.request(`http://workbench.test${path}`, {
        headers: { cookie: `lr_csrf=${csrf}; lr_local_user=${user}` },
      });
    return { get, postFile, app };
  }

  /** The upload form's fields as the page renders them, in order. */
  const formFields = (html: string, action: string) => {
    const start = html.indexOf(`<form method="post" action="${action}"`);
    const form = html.slice(start, html.indexOf('</form>', start));
    return [...form.matchAll(/<input type="(\w+)"[^>]*?name="([^"]+)"(?: value="([^"]*)")?/g)].map(
      (match) => ({
        type: match[1],
        name: match[2],
        value: match[3],
      }),
    );
  };

  it('locally offers small uploads only, under the usual policy', async () => {
    const { get } = await signedIn(false);
    const page = await get('/imports');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await page.text();
    expect(html).toContain('File (up to 5 MB)');
    expect(html).not.toContain('Large files');
    expect(html).not.toContain(s3.endpoint);
  });

  it('with an upload bucket, asks what the file is, then shows the signed form posting to the bucket', async () => {
    const { get } = await signedIn(true);
    const first = await (await get('/imports')).text();
    expect(first).toContain('<form method="get" action="/imports#large"');
    expect(first).toContain('name="large" value="metapsy"');

    const page = await get('/imports?large=metapsy');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${s3.endpoint};`);
    const html = await page.text();
    const fields = formFields(html, `${s3.endpoint}/${BUCKET}`);
    const names = fields.map((field) => field.name);
    // The file goes last; the signed fields and the name field before it; no CSRF field (S3 would refuse it).
    expect(names.at(-1)).toBe('file');
    expect(names).toEqual(
      expect.arrayContaining(['key', 'Policy', 'X-Amz-Signature', 'x-amz-meta-filename']),
    );
    expect(names).not.toContain('_csrf');
    const key = fields.find((field) => field.name === 'key')?.value ?? '';
    expect(parseUploadKey(key).kind).toBe('metapsy');
    expect(fields.find((field) => field.name === 'x-amz-meta-uploaded-by')?.value).toBe('Ana');
    expect(fields.find((field) => field.name === 'success_action_redirect')?.value).toBe(
      'http://workbench.test/imports/uploaded',
    );
  });

  it('refuses an unknown kind with a message beside the choice', async () => {
    const { get } = await signedIn(true);
    const page = await get('/imports?large=pdf');
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('<a href="#large-kind">Choose what the file is</a>');
    expect(html).not.toContain(`action="${s3.endpoint}`);
  });

  it('imports a small file through the workbench by the same use case, and refuses a bad one storing nothing', async () => {
    const { postFile } = await signedIn(false);
    const before = await dumpTable(local);
    const refused = await postFile('ris', 'broken.ris', new TextEncoder().encode('TI  - no type line\n'));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Refused, nothing stored: broken.ris');
    expect(await dumpTable(local)).toEqual(before);

    const page = await postFile('ris', 'a.ris', RIS);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('1 records read: 1 new, 0 duplicates, 0 already stored, 0 updated.');
    expect((await local.store.listCopies()).map((copy) => copy.record.title)).toEqual(['A trial']);
  });

  it('sends a file over 5 MB to the large-upload form where there is one', async () => {
    const { postFile } = await signedIn(true);
    const page = await postFile('ris', 'big.ris', new Uint8Array(5 * 1024 * 1024 + 1));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('The file is larger than 5 MB: upload it as a large file below');
  });

  it("lands S3's redirect without a session and goes on to the imports page by itself", async () => {
    const { app } = await signedIn(true);
    const key = 'uploads/ris/2026-12-01/6f1c2d3e-4a5b-4c6d-8e7f-001122334455';
    const query = new URLSearchParams({ bucket: BUCKET, key, etag: '"abc"' }).toString();
    // No cookie at all: Firefox and Safari send none with a navigation that came from S3.
    const landing = await app.request(`http://workbench.test/imports/uploaded?${query}`);
    expect(landing.status).toBe(200);
    const html = await landing.text();
    const next = `/imports?key=${encodeURIComponent(key)}#uploads`;
    expect(html).toContain(`<meta http-equiv="refresh" content="0; url=${next.replaceAll('&', '&amp;')}">`);
    expect(html).not.toContain('Signed in as');
    const stray = await app.request('http://workbench.test/imports/uploaded?key=%3Cscript%3E');
    expect(await stray.text()).toContain('<meta http-equiv="refresh" content="0; url=/imports">');
  });
});
