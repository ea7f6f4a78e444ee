/**
 * Bodies too large for one DynamoDB item (400 KB, attribute names included). A body whose JSON is at most
 * MAX_INLINE_BODY_BYTES stays in its item's `data` attribute, as it always did. A larger one is cut into chunks
 * of at most CHUNK_BYTES of UTF-8, each its own item under the partition of the JSON's SHA-256 (content-addressed:
 * a retry or a second writer of the same body writes the very same items), and the item that refers to it (the
 * commit point) holds only the hash and the chunk count. docs/store.md, "Large bodies".
 */
import { createHash } from 'node:crypto';
import { DamagedStoreError, LivingReviewError } from '#shared/errors.ts';

/** The most JSON kept in the item itself, leaving room for its keys and other attributes under 400 KB. */
export const MAX_INLINE_BODY_BYTES = 300_000;
/**
 * The most UTF-8 bytes of JSON in one chunk item. Part of the stored format: a body's chunks are found by its hash
 * and read by index, so changing the size needs a new sort-key prefix.
 */
export const CHUNK_BYTES = 300_000;
/** Chunk sort keys have four digits: up to 10,000 chunks (about 3 GB of JSON, far past any Lambda's memory). */
export const MAX_CHUNKS = 10_000;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function chunkSortKey(index: number): string {
  return `C#${String(index).padStart(4, '0')}`;
}

/**
 * Cuts the JSON into pieces of at most maxBytes UTF-8 bytes, never inside a character, so each piece is valid
 * text and joining them gives the JSON back exactly. The same text always gives the same pieces.
 */
export function splitUtf8(text: string, maxBytes = CHUNK_BYTES): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const pieces: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    // Back off continuation bytes (10xxxxxx) so the cut falls before the first byte of a character.
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    if (end === start) throw new Error(`cannot cut UTF-8 text into pieces of ${maxBytes} bytes`);
    pieces.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return pieces;
}

/** How a body is kept: inline in the head item, or as chunks the head names by hash and count. */
export type BodyLayout = { inline: string } | { sha256: string; chunks: string[] };

export function bodyLayout(json: string): BodyLayout {
  if (Buffer.byteLength(json, 'utf8') <= MAX_INLINE_BODY_BYTES) return { inline: json };
  const chunks = splitUtf8(json);
  if (chunks.length > MAX_CHUNKS) {
    throw new LivingReviewError(
      `a body of ${Buffer.byteLength(json, 'utf8')} bytes needs ${chunks.length} chunks, more than ${MAX_CHUNKS}`,
    );
  }
  return { sha256: sha256Hex(json), chunks };
}

/**
 * The JSON back from the chunk items found for a head (in any order, possibly with strays): exactly chunks
 * C#0000..C#<count-1>, whose text hashes to the head's sha256; anything else fails loudly, naming `what`.
 */
export function joinChunks(
  what: string,
  sha256: string,
  count: number,
  items: readonly { sk: unknown; data: unknown }[],
): string {
  const bySortKey = new Map(items.map((item) => [String(item.sk), item.data]));
  const pieces: string[] = [];
  const missing: string[] = [];
  for (let index = 0; index < count; index++) {
    const data = bySortKey.get(chunkSortKey(index));
    if (typeof data === 'string') pieces.push(data);
    else missing.push(chunkSortKey(index));
  }
  if (missing.length > 0) {
    throw new DamagedStoreError(
      `${what}: its body is stored in ${count} chunks under BODY#${sha256}, but ${missing.length} are missing ` +
        `(${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}); the store is damaged`,
    );
  }
  const json = pieces.join('');
  const actual = sha256Hex(json);
  if (actual !== sha256) {
    throw new DamagedStoreError(
      `${what}: its body's ${count} chunks under BODY#${sha256} hash to ${actual}, not to the hash its item ` +
        'holds; the store is damaged',
    );
  }
  return json;
}
