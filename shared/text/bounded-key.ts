/** Bounding the parts of DynamoDB keys that come from input (titles, DOIs, study labels). */
import { createHash } from 'node:crypto';

/**
 * A key value stored as part of a DynamoDB key (2048 bytes at most for a partition key, 1024 for a sort key).
 * Past this many UTF-8 bytes a value is cut to its start plus the SHA-256 of the whole: equal values still give
 * equal keys, different ones still differ, and a 3 KB title from a garbage export no longer stops an import
 * half-way. The limit fits a sort key and is far above any real title's key, so keys already stored keep
 * their value and still meet the records that claimed them.
 */
export const MAX_KEY_VALUE_BYTES = 1000;
const KEPT_PREFIX_CHARACTERS = 128;

export function boundedKeyValue(value: string): string {
  if (Buffer.byteLength(value) <= MAX_KEY_VALUE_BYTES) return value;
  // 128 UTF-16 units are at most 384 UTF-8 bytes; the suffix adds 74. The cut never splits a surrogate pair,
  // whose lone half would not be valid UTF-8 in a key. The hash tells values apart; the prefix helps a reader.
  const last = value.charCodeAt(KEPT_PREFIX_CHARACTERS - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? KEPT_PREFIX_CHARACTERS - 1 : KEPT_PREFIX_CHARACTERS;
  const digest = createHash('sha256').update(value).digest('hex');
  return `${value.slice(0, cut)}…sha256:${digest}`;
}
