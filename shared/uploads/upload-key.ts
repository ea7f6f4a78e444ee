/**
 * Where a large upload lands in the upload bucket and what it carries: the key `uploads/<kind>/<yyyy-mm-dd>/<uuid>`
 * (the kind the uploader chose, the UTC day, a fresh id), and two metadata entries, the uploader's stable id (fixed
 * by the signed upload policy) and the file's name (filled in by the browser). Metadata values travel as HTTP
 * headers, so both are percent-encoded (UTF-8) by the workbench and decoded here.
 */
import { InputError } from '#shared/errors.ts';
import { IMPORT_KINDS, type ImportKind } from './kinds.ts';

/** Only objects under this prefix are imported; the import function may read nothing else. */
export const UPLOAD_PREFIX = 'uploads/';

/** User metadata names (S3 form fields `x-amz-meta-<name>`; S3 hands them back lower-case, without the prefix). */
export const UPLOAD_METADATA = { uploadedBy: 'uploaded-by', fileName: 'filename' } as const;
export const metadataField = (name: string) => `x-amz-meta-${name}`;

export interface UploadKey {
  kind: ImportKind;
  /** The UTC day the upload form was made, yyyy-mm-dd. */
  day: string;
  id: string;
}

export function uploadKey(key: UploadKey): string {
  return `${UPLOAD_PREFIX}${key.kind}/${key.day}/${key.id}`;
}

const KEY = new RegExp(
  `^${UPLOAD_PREFIX}(${IMPORT_KINDS.join('|')})/(\\d{4}-\\d{2}-\\d{2})/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
);

export function parseUploadKey(key: string): UploadKey {
  const match = KEY.exec(key);
  if (!match)
    throw new InputError(
      `${key} is not an upload: its key must be ${UPLOAD_PREFIX}<${IMPORT_KINDS.join('|')}>/<yyyy-mm-dd>/<uuid>`,
    );
  return { kind: match[1] as ImportKind, day: match[2] as string, id: match[3] as string };
}

/** Percent-encoding for a metadata value (an HTTP header must be plain ASCII). */
export const encodeMetadata = (value: string) => encodeURIComponent(value);

/** The value as the workbench meant it; a value that is not percent-encoded is taken as it is. */
export function decodeMetadata(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A file name fit to show and to record: its last path segment, no control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string | undefined {
  const base = (name ?? '')
    .split(/[\\/]/)
    .at(-1)
    ?.replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200);
  return base ? base : undefined;
}
