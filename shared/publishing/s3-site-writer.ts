/**
 * The SiteWriter port on an S3 bucket (served by CloudFront). Each object carries its content type and a cache
 * policy: hashed assets never change under their name, so browsers and the CDN may keep them for a year; the page,
 * the feed and the downloads keep their names across publishes, so caches must come back for them soon.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { InputError } from '#shared/errors.ts';
import { HASHED_ASSET } from './site.ts';
import type { SiteWriter } from './site-writer.ts';
import { contentTypeFor } from './static-server.ts';

/** The four S3 calls the writer makes; `s3ObjectCalls` binds them to a real client, tests pass an in-memory fake. */
export interface S3ObjectCalls {
  listObjectsV2(input: {
    Bucket: string;
    ContinuationToken?: string;
  }): Promise<{ Contents?: { Key?: string }[]; NextContinuationToken?: string }>;
  /** Rejects with an error named NoSuchKey when the object does not exist, as S3 does. */
  getObject(input: {
    Bucket: string;
    Key: string;
  }): Promise<{ Body?: { transformToByteArray(): Promise<Uint8Array> } }>;
  putObject(input: {
    Bucket: string;
    Key: string;
    Body: Uint8Array;
    ContentType: string;
    CacheControl: string;
  }): Promise<unknown>;
  deleteObject(input: { Bucket: string; Key: string }): Promise<unknown>;
}

export function s3ObjectCalls(client: S3Client): S3ObjectCalls {
  return {
    listObjectsV2: (input) => client.send(new ListObjectsV2Command(input)),
    getObject: (input) => client.send(new GetObjectCommand(input)),
    putObject: (input) => client.send(new PutObjectCommand(input)),
    deleteObject: (input) => client.send(new DeleteObjectCommand(input)),
  };
}

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** Five minutes: a new publish reaches readers soon without every view going back to the bucket. */
export const SHORT_CACHE = 'public, max-age=300, must-revalidate';

export function cacheControlFor(path: string): string {
  const name = path.split('/').at(-1) ?? path;
  return HASHED_ASSET.test(name) ? IMMUTABLE_CACHE : SHORT_CACHE;
}

function checkedKey(path: string): string {
  const segments = path.split('/');
  if (path === '' || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InputError(`site path must be relative with no empty, "." or ".." segments: ${path}`);
  }
  return path;
}

const isMissing = (error: unknown) => error instanceof Error && error.name === 'NoSuchKey';

export function s3SiteWriter(calls: S3ObjectCalls, bucket: string): SiteWriter {
  return {
    async list() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await calls.listObjectsV2({
          Bucket: bucket,
          ...(token ? { ContinuationToken: token } : {}),
        });
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    async read(path) {
      try {
        const object = await calls.getObject({ Bucket: bucket, Key: checkedKey(path) });
        return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async write(path, bytes) {
      await calls.putObject({
        Bucket: bucket,
        Key: checkedKey(path),
        Body: bytes,
        ContentType: contentTypeFor(path),
        CacheControl: cacheControlFor(path),
      });
    },
    async remove(path) {
      await calls.deleteObject({ Bucket: bucket, Key: checkedKey(path) });
    },
  };
}
