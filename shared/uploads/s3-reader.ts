/** Reading an upload from the upload bucket: the one S3 call the import function makes (s3:GetObject on uploads/*). */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { UploadedObject } from './import-upload.ts';

/** The call the reader makes; `s3UploadCalls` binds it to a real client, tests pass an in-memory bucket. */
export interface UploadObjectCalls {
  /** Rejects with an error named NoSuchKey when the object does not exist, as S3 does. */
  getObject(input: { Bucket: string; Key: string }): Promise<{
    Body?: { transformToByteArray(): Promise<Uint8Array> };
    ETag?: string;
    Metadata?: Record<string, string>;
  }>;
}

export function s3UploadCalls(client: S3Client): UploadObjectCalls {
  return { getObject: (input) => client.send(new GetObjectCommand(input)) };
}

const isMissing = (error: unknown) => error instanceof Error && error.name === 'NoSuchKey';

export function s3UploadReader(
  calls: UploadObjectCalls,
  bucket: string,
): (key: string) => Promise<UploadedObject | undefined> {
  return async (key) => {
    try {
      const object = await calls.getObject({ Bucket: bucket, Key: key });
      return {
        bytes: (await object.Body?.transformToByteArray()) ?? new Uint8Array(),
        etag: object.ETag ?? '',
        metadata: object.Metadata ?? {},
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
}
