/**
 * After a poll (or an import), sends one digest of what the team has not been told yet. Each record, registry
 * change and retraction is claimed in the alert log before sending, so nothing is alerted twice even when two
 * polls overlap; if sending fails the claims are released so the next poll tells them again.
 */
import type { IngestResult } from '#shared/records/ingest.ts';
import type { AlertLog, Clock, RecordStore } from '#shared/store/ports.ts';
import { composeDigest, type Digest, renderDigest } from './digest.ts';
import type { Notifier } from './notifier.ts';

export interface AlertPorts {
  store: RecordStore & AlertLog;
  notifier: Notifier;
  clock: Clock;
}

async function unclaimed<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  claimed: string[],
  ports: AlertPorts,
) {
  const sentAt = ports.clock.now().toISOString();
  const fresh: T[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (await ports.store.claimAlert(key, sentAt)) {
      claimed.push(key);
      fresh.push(item);
    }
  }
  return fresh;
}

export async function alertAfterPoll(
  result: IngestResult,
  ports: AlertPorts,
  options: { keywords: readonly string[]; top?: number },
): Promise<Digest | undefined> {
  const claimed: string[] = [];
  const newIds = await unclaimed(
    result.new.map((entry) => entry.id),
    (id) => `new#${id}`,
    claimed,
    ports,
  );
  const registryChanges = await unclaimed(
    result.registryChanges,
    (change) => `registry#${change.id}#${change.to.status}#${change.to.hasResults}`,
    claimed,
    ports,
  );
  const retractions = await unclaimed(
    result.retractions,
    (retraction) => `retraction#${retraction.id}`,
    claimed,
    ports,
  );
  const copies = await ports.store.getCopies(newIds);
  const digest = composeDigest({
    date: ports.clock.now().toISOString().slice(0, 10),
    newRecords: newIds.flatMap((id) => {
      const copy = copies.get(id);
      return copy ? [copy.record] : [];
    }),
    registryChanges,
    retractions,
    keywords: options.keywords,
    ...(options.top !== undefined ? { top: options.top } : {}),
  });
  if (!digest) return undefined;
  try {
    await ports.notifier.send({
      date: digest.date,
      subject: `living-review: ${digest.newCount} new record(s), ${digest.date}`,
      markdown: renderDigest(digest),
    });
  } catch (error) {
    for (const key of claimed) await ports.store.releaseAlert(key);
    throw error;
  }
  return digest;
}
