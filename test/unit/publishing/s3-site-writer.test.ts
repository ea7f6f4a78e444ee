import { describe, expect, it } from 'vitest';
import {
  IMMUTABLE_CACHE,
  type S3ObjectCalls,
  SHORT_CACHE,
  s3SiteWriter,
} from '#shared/publishing/s3-site-writer.ts';
import { HASHED_ASSET } from '#shared/publishing/site.ts';
import { publishSite } from '#shared/publishing/site-writer.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { pageModelFixture } from '#test/support/page-model.ts';

const BUCKET = 'review-site';
const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('the S3 site writer', () => {
  it('stores a hashed asset with its content type and a year-long immutable cache policy', async () => {
    const { calls, objects } = fakeS3(BUCKET);
    await s3SiteWriter(calls, BUCKET).write('style.0123abcd.css', bytesOf('body{}'));
    expect(objects.get('style.0123abcd.css')).toMatchObject({
      contentType: 'text/css; charset=utf-8',
      cacheControl: IMMUTABLE_CACHE,
    });
  });

  it('gives the page and the feed a short cache policy so a new publish reaches readers', async () => {
    const { calls, objects } = fakeS3(BUCKET);
    const writer = s3SiteWriter(calls, BUCKET);
    await writer.write('index.html', bytesOf('<p>page</p>'));
    await writer.write('feed.xml', bytesOf('<feed/>'));
    expect(objects.get('index.html')).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: SHORT_CACHE,
    });
    expect(objects.get('feed.xml')).toMatchObject({
      contentType: 'application/atom+xml; charset=utf-8',
      cacheControl: SHORT_CACHE,
    });
  });

  it('reads back the bytes it wrote and undefined for an object that does not exist', async () => {
    const { calls } = fakeS3(BUCKET);
    const writer = s3SiteWriter(calls, BUCKET);
    await writer.write('data/studies.csv', bytesOf('study,n\nA,10\n'));
    expect(new TextDecoder().decode(await writer.read('data/studies.csv'))).toBe('study,n\nA,10\n');
    expect(await writer.read('missing.html')).toBeUndefined();
  });

  it('passes on errors other than a missing key instead of reading them as absence', async () => {
    const { calls } = fakeS3(BUCKET);
    await expect(s3SiteWriter(calls, 'someone-elses-bucket').read('index.html')).rejects.toThrow(
      /no access to bucket/,
    );
  });

  it('lists every key across listing pages, sorted', async () => {
    const { calls } = fakeS3(BUCKET, 2);
    const writer = s3SiteWriter(calls, BUCKET);
    for (const path of ['e.csv', 'b.csv', 'index.html', 'a.csv', 'd.csv'])
      await writer.write(path, bytesOf(path));
    expect(await writer.list()).toEqual(['a.csv', 'b.csv', 'd.csv', 'e.csv', 'index.html']);
  });

  it('refuses a path with an empty, "." or ".." segment', async () => {
    const { calls, objects } = fakeS3(BUCKET);
    const writer = s3SiteWriter(calls, BUCKET);
    for (const path of ['../index.html', '/index.html', 'a//b.css', './feed.xml']) {
      await expect(writer.write(path, bytesOf('x'))).rejects.toThrow(/site path must be relative/);
    }
    expect(objects.size).toBe(0);
  });

  it('removes the object at a path', async () => {
    const { calls, objects } = fakeS3(BUCKET);
    const writer = s3SiteWriter(calls, BUCKET);
    await writer.write('old.0123abcd.css', bytesOf('x'));
    await writer.remove('old.0123abcd.css');
    expect(objects.has('old.0123abcd.css')).toBe(false);
  });

  it('publishes the site to the bucket and rewrites nothing when the model is unchanged', async () => {
    const { calls, objects } = fakeS3(BUCKET, 2);
    const putKeys: string[] = [];
    const counting: S3ObjectCalls = {
      ...calls,
      putObject: (input) => {
        putKeys.push(input.Key);
        return calls.putObject(input);
      },
    };
    const writer = s3SiteWriter(counting, BUCKET);
    const first = await publishSite(pageModelFixture(), writer);
    expect([...objects.keys()].sort()).toEqual([...first.written].sort());
    const hashed = first.written.filter((path) => HASHED_ASSET.test(path));
    expect(hashed.length).toBeGreaterThan(0);
    for (const path of hashed) expect(objects.get(path)?.cacheControl).toBe(IMMUTABLE_CACHE);
    putKeys.length = 0;
    const second = await publishSite(pageModelFixture(), writer);
    expect(putKeys).toEqual([]);
    expect(second.written).toEqual([]);
  });
});
