/**
 * The offline demo's pieces (demo/SOURCES.md tells the story): the recorded answers the replay server gives, and
 * the registration an "earlier poll" stored, so that the demo's poll shows a registry status change.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ingest } from '#shared/records/ingest.ts';
import { parseCtgovJson } from '#shared/sources/ctgov/parse.ts';
import type { Clock, Store } from '#shared/store/ports.ts';

const demoFile = (name: string) => fileURLToPath(new URL(`../demo/${name}`, import.meta.url));

export const DEMO_CASSETTE = demoFile('cassette.json');

/** Stored once; the marker keeps later demo cycles from putting the old status back. */
export async function storeDemoEarlierPoll(store: Store, clock: Clock): Promise<void> {
  if (await store.getDocument('demo', 'earlier-poll')) return;
  const records = parseCtgovJson(readFileSync(demoFile('seed/registry-earlier-poll.json'), 'utf8'));
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
