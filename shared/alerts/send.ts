/**
 * The digest of one ingest batch: each new record, registry change and retraction is claimed in the alert log for
 * the batch before the digest is composed, so nothing is told twice, even by two batches that overlap; the batch
 * claiming again after a crash gets back exactly what it had claimed. Sending (once) is the batch's business:
 * shared/records/ingest.ts stores the digest, then sends it.
 */
import type { IngestResult } from '#shared/records/ingest.ts';
import type { AlertLog, Clock, RecordStore } from '#shared/store/ports.ts';
import { composeDigest, type Digest, renderDigest } from './digest.ts';
import type { TeamAlert } from './notifier.ts';

export interface DigestPorts {
  store: RecordStore & AlertLog;
  clock: Clock;
}

async function claimed<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  owner: string,
  ports: DigestPorts,
): Promise<T[]> {
  const at = ports.clock.now().toISOString();
  const fresh: T[] = [];
  for (const item of items) {
    if (await ports.store.claimAlert(keyOf(item), at, owner)) fresh.push(item);
  }
  return fresh;
}

/** Claims, for `owner`, every item of the result not told before; undefined when none is left to tell. */
export async function claimDigest(
  result: IngestResult,
  owner: string,
  ports: DigestPorts,
  options: { keywords: readonly string[]; top?: number; date: string },
): Promise<Digest | undefined> {
  const newIds = await claimed(
    result.new.map((entry) => entry.id),
    (id) => `new#${id}`,
    owner,
    ports,
  );
  const registryChanges = await claimed(
    result.registryChanges,
    (change) => `registry#${change.id}#${change.to.status}#${change.to.hasResults}`,
    owner,
    ports,
  );
  const retractions = await claimed(
    result.retractions,
    (retraction) => `retraction#${retraction.id}`,
    owner,
    ports,
  );
  const copies = await ports.store.getCopies(newIds);
  return composeDigest({
    date: options.date,
    newRecords: newIds.flatMap((id) => {
      const copy = copies.get(id);
      return copy ? [copy.record] : [];
    }),
    registryChanges,
    retractions,
    keywords: options.keywords,
    ...(options.top !== undefined ? { top: options.top } : {}),
  });
}

/** The team alert of a batch's digest; its id lets a notifier drop a repeat of the same digest. */
export function digestAlert(digest: Digest, batch: string): TeamAlert {
  return {
    id: `digest-${batch}`,
    date: digest.date,
    subject: `living-review: ${digest.newCount} new record(s), ${digest.date}`,
    markdown: renderDigest(digest),
  };
}
