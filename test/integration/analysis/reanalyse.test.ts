import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamAlert } from '#shared/alerts/notifier.ts';
import { type AnalysisBody, reanalyse } from '#shared/analysis/reanalyse.ts';
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { importExtraction } from '#shared/extraction/import.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { metapsyText, withCell } from '#test/support/extraction-fixtures.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { memoryStore, steppingClock } from '#test/support/store.ts';

let local: LocalStore;
let alerts: TeamAlert[];
const clock = steppingClock();

async function importText(text: string) {
  await importExtraction(text, 'metapsy', {
    store: documentExtractionStore(local.store, clock),
    config: review.extraction,
    document: 'data.csv',
  });
}

function run(reason = 'test') {
  return reanalyse(
    review,
    { store: local.store, clock, notifier: { send: async (alert) => void alerts.push(alert) } },
    reason,
  );
}

beforeEach(async () => {
  local = await memoryStore();
  alerts = [];
});
afterEach(async () => {
  await local.close();
});

// Row 8 of the Metapsy file is Cook 2012a's recovery result (RAS total); its intervention mean is 92.9.
const cookRecoveryRow = 8;

describe('reanalysis on the store', () => {
  it('stores version 1 after the first import and no new version when nothing changed', async () => {
    await importText(metapsyText());
    const first = await run();
    expect(first).toMatchObject({ version: 1, created: true });
    await importText(metapsyText());
    const second = await run();
    expect(second).toMatchObject({ version: 1, created: false });
    expect(await local.store.listAnalysisVersions()).toHaveLength(1);
  });

  it('keeps a new version with what changed when an included number changes', async () => {
    await importText(metapsyText());
    await run();
    await importText(withCell(metapsyText(), cookRecoveryRow, 'mean_arm1', '93,9'));
    const second = await run();
    expect(second).toMatchObject({ version: 2, created: true });
    const body = (await local.store.latestAnalysisVersion())?.body as AnalysisBody;
    expect(
      body.changes.some(
        (c) => c.outcome === 'recovery' && c.analysis === 'main' && /estimate moved/.test(c.description),
      ),
    ).toBe(true);
  });

  it('alerts the team once when a conclusion changes, and not again on a re-run', async () => {
    await importText(metapsyText());
    await run();
    // A much larger Cook 2012a effect moves the pooled recovery estimate by more than 0.1.
    await importText(withCell(metapsyText(), cookRecoveryRow, 'mean_arm1', '112,9'));
    const changed = await run();
    expect(changed.material.length).toBeGreaterThan(0);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.markdown).toMatch(/recovery \(post\): estimate moved from 0\.24 to/);
    await run();
    expect(alerts).toHaveLength(1);
  });

  it('sends on the next run an alert whose first sending failed', async () => {
    await importText(metapsyText());
    await run();
    await importText(withCell(metapsyText(), cookRecoveryRow, 'mean_arm1', '112,9'));
    const failing = reanalyse(
      review,
      { store: local.store, clock, notifier: { send: async () => Promise.reject(new Error('SNS down')) } },
      'test',
    );
    await expect(failing).rejects.toThrow('SNS down');
    const retried = await run();
    expect(retried.created).toBe(false);
    expect(retried.alerted).toBe(true);
    expect(alerts).toHaveLength(1);
  });

  it('leaves one version when two reanalyses run at the same time', async () => {
    await importText(metapsyText());
    const results = await Promise.all([run('a'), run('b')]);
    expect(results.map((r) => r.version)).toEqual([1, 1]);
    expect(await local.store.listAnalysisVersions()).toHaveLength(1);
  });
});
