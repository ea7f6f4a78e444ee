import { createHash } from 'node:crypto';
import type { S3ObjectCalls } from '#shared/publishing/s3-site-writer.ts';
import type { UploadObjectCalls } from '#shared/uploads/s3-reader.ts';

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
  cacheControl: string;
  /** User metadata, as S3 hands it back: lower-case names without `x-amz-meta-`. */
  metadata?: Record<string, string>;
}

/** S3's ETag of an object stored in one part: the MD5 of its bytes, hex, in double quotes. */
export const etagOf = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * An in-memory bucket behind the writer's four S3 calls (and the upload reader's GetObject): answers a missing key
 * with NoSuchKey, pages listings `pageSize` keys at a time with continuation tokens, refuses any other bucket with
 * AccessDenied, and returns each object's ETag and user metadata as S3 does.
 */
export function fakeS3(bucket: string, pageSize = 1000) {
  const objects = new Map<string, StoredObject>();
  const checkBucket = (name: string) => {
    if (name !== bucket) throw namedError('AccessDenied', `no access to bucket ${name}`);
  };
  const calls: S3ObjectCalls & UploadObjectCalls = {
    async listObjectsV2(input) {
      checkBucket(input.Bucket);
      const keys = [...objects.keys()].sort();
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const end = start + pageSize;
      return {
        Contents: keys.slice(start, end).map((Key) => ({ Key })),
        ...(end < keys.length ? { NextContinuationToken: String(end) } : {}),
      };
    },
    async getObject(input) {
      checkBucket(input.Bucket);
      const object = objects.get(input.Key);
      if (!object) throw namedError('NoSuchKey', 'The specified key does not exist.');
      const bytes = object.bytes.slice();
      return {
        Body: { transformToByteArray: async () => bytes },
        ETag: etagOf(bytes),
        Metadata: { ...object.metadata },
      };
    },
    async putObject(input) {
      checkBucket(input.Bucket);
      objects.set(input.Key, {
        bytes: input.Body.slice(),
        contentType: input.ContentType,
        cacheControl: input.CacheControl,
      });
      return {};
    },
    async deleteObject(input) {
      checkBucket(input.Bucket);
      objects.delete(input.Key);
      return {};
    },
  };
  /** Stores an object as a browser's upload through a signed form does: bytes and user metadata. */
  const upload = (key: string, bytes: Uint8Array, metadata: Record<string, string> = {}) => {
    objects.set(key, {
      bytes: bytes.slice(),
      contentType: 'application/octet-stream',
      cacheControl: '',
      metadata: { ...metadata },
    });
    return etagOf(bytes);
  };
  return { calls, objects, upload };
}
