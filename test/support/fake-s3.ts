import type { S3ObjectCalls } from '#shared/publishing/s3-site-writer.ts';

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
  cacheControl: string;
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * An in-memory bucket behind the writer's four S3 calls: answers a missing key with NoSuchKey, pages listings
 * `pageSize` keys at a time with continuation tokens, and refuses any other bucket with AccessDenied.
 */
export function fakeS3(bucket: string, pageSize = 1000) {
  const objects = new Map<string, StoredObject>();
  const checkBucket = (name: string) => {
    if (name !== bucket) throw namedError('AccessDenied', `no access to bucket ${name}`);
  };
  const calls: S3ObjectCalls = {
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
      return { Body: { transformToByteArray: async () => bytes } };
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
  return { calls, objects };
}
