/**
 * The event the import function gets: S3's "Object Created" event as EventBridge delivers it (the upload bucket
 * sends its events to EventBridge, and a rule passes those under uploads/ to the function). Validated here, so a
 * malformed event fails with what is wrong. Upload keys hold only lower-case letters, digits, '-' and '/', which
 * no event encoding changes, and anything else is refused by parseUploadKey.
 */
import * as z from 'zod';
import { InputError } from '#shared/errors.ts';
import type { UploadNotice } from './import-upload.ts';

export const OBJECT_CREATED = { source: 'aws.s3', detailType: 'Object Created' } as const;

const ObjectCreatedSchema = z.object({
  source: z.literal(OBJECT_CREATED.source),
  'detail-type': z.literal(OBJECT_CREATED.detailType),
  time: z.iso.datetime({ offset: true }),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
    }),
  }),
});

export interface ObjectCreated extends UploadNotice {
  bucket: string;
}

export function parseObjectCreated(event: unknown): ObjectCreated {
  const parsed = ObjectCreatedSchema.safeParse(event);
  if (!parsed.success) {
    throw new InputError(
      `not an S3 Object Created event: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ')}`,
    );
  }
  const { detail, time } = parsed.data;
  return {
    bucket: detail.bucket.name,
    key: detail.object.key,
    etag: detail.object.etag ?? '',
    size: detail.object.size ?? 0,
    time,
  };
}
