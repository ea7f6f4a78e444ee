/**
 * The offline demo's registrations an "earlier poll" stored (a review file's demo.earlierPoll; the group peer support
 * review's demo/SOURCES.md tells the story), so that the demo's poll shows a registry status change.
 */
import { readFileSync } from 'node:fs';
import { ingest } from '#shared/records/ingest.ts';
import { parseCtgovJson } from '#shared/sources/ctgov/parse.ts';
import type { Clock, Store } from '#shared/store/ports.ts';

/** Stored once; the marker keeps later demo cycles from putting the old status back. */
export async function storeDemoEarlierPoll(store: Store, clock: Clock, file: string): Promise<void> {
  if (await store.getDocument('demo', 'earlier-poll')) return;
  const records = parseCtgovJson(readFileSync(file, 'utf8'));
  await ingest(
    records,
    { store, clock },
    { cycle: '2026-01-15', dualFraction: 0, label: 'demo earlier poll' },
  );
  await store.putDocument({
    kind: 'demo',
    id: 'earlier-poll',
    body: { stored: records.map((record) => record.id) },
    updatedAt: clock.now().toISOString(),
  });
}
