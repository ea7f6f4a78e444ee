/**
 * The upload form for a large file: an S3 pre-signed POST, so the browser sends the file straight to the upload
 * bucket in a plain HTML form (no JavaScript needed) and the workbench never holds it. The signed policy fixes the
 * key (`uploads/<kind>/<day>/<uuid>`), the uploader's id as metadata, the size range and where S3 sends the browser
 * afterwards; the file's name is the one field the browser may fill in. The signature is made with the
 * credentials of whoever builds the form (the workbench's role), so that role needs s3:PutObject on uploads/*.
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Clock } from '#shared/store/ports.ts';
import type { ImportKind } from './import-file.ts';
import { encodeMetadata, metadataField, UPLOAD_METADATA, uploadKey } from './upload-key.ts';

/** The largest file the upload form accepts. */
export const MAX_LARGE_UPLOAD_BYTES = 200 * 1024 * 1024;
/** How long a form may be used: long enough to pick a file, short enough that a stale page cannot upload. */
export const UPLOAD_FORM_SECONDS = 15 * 60;

export interface UploadRequest {
  kind: ImportKind;
  /** The signed-in user's stable id, recorded with the upload and its import. */
  uploadedBy: string;
  /** The absolute address S3 redirects the browser to after a successful upload (with bucket, key and etag). */
  redirectTo: string;
}

export interface UploadForm {
  /** Where the form posts (the bucket's endpoint). */
  url: string;
  /** Hidden fields the form must send, in any order, before the file. */
  fields: Record<string, string>;
  /** The field the browser fills with the (percent-encoded) file name; the policy accepts any value. */
  fileNameField: string;
  key: string;
  maxBytes: number;
  expiresAt: string;
}

/** The workbench's port: absent locally (no bucket), where only small uploads through the workbench exist. */
export interface UploadPresigner {
  presignUpload(request: UploadRequest): Promise<UploadForm>;
}

export interface S3PresignerOptions {
  clock?: Clock;
  newId?: () => string;
  maxBytes?: number;
  expiresSeconds?: number;
}

export function s3UploadPresigner(
  client: S3Client,
  bucket: string,
  options: S3PresignerOptions = {},
): UploadPresigner {
  const now = () => options.clock?.now() ?? new Date();
  const maxBytes = options.maxBytes ?? MAX_LARGE_UPLOAD_BYTES;
  const expires = options.expiresSeconds ?? UPLOAD_FORM_SECONDS;
  return {
    async presignUpload(request) {
      const key = uploadKey({
        kind: request.kind,
        day: now().toISOString().slice(0, 10),
        id: (options.newId ?? randomUUID)(),
      });
      const fileNameField = metadataField(UPLOAD_METADATA.fileName);
      // Each of Fields becomes an exact-match condition of the policy as well.
      const fields = {
        [metadataField(UPLOAD_METADATA.uploadedBy)]: encodeMetadata(request.uploadedBy),
        success_action_redirect: request.redirectTo,
      };
      const signed = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Fields: fields,
        Conditions: [
          ['content-length-range', 1, maxBytes],
          ['starts-with', `$${fileNameField}`, ''],
        ],
        Expires: expires,
      });
      return {
        url: signed.url,
        fields: signed.fields,
        fileNameField,
        key,
        maxBytes,
        expiresAt: new Date(now().getTime() + expires * 1000).toISOString(),
      };
    },
  };
}
