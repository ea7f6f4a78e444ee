import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notifier, TeamAlert } from '#shared/alerts/notifier.ts';
import { ingest } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { screenRecord } from '#shared/screening/screen.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { groupPeerSupportEligibility } from '#test/support/group-peer-support.ts';
import { bibRecord, memoryStore, steppingClock } from '#test/support/store.ts';

/** A notifier that keeps what it was asked to send (a real adapter, writing to memory instead of SNS or disk). */
function recordingNotifier(): Notifier & { sent: TeamAlert[] } {
  const sent: TeamAlert[] = [];
  return {
    sent,
    async send(alert) {
      sent.push(alert);
    },
  };
}

let local: LocalStore;
const clock = steppingClock();
const keywords = groupPeerSupportEligibility.keywords;

/** An ingest that tells the team what is new, as a poll or `import --alert` does. */
const ingestAndAlert = (records: BibRecord[], notifier: Notifier) =>
  ingest(records, { store: local.store, clock, notifier }, { alert: { keywords } });

beforeEach(async () => {
  local = await memoryStore();
});
afterEach(async () => {
  await local.close();
});

describe('alerts after a poll', () => {
  it('sends one digest of the new records, and nothing when nothing is new', async () => {
    const notifier = recordingNotifier();
    const records = [
      bibRecord({ id: 'pubmed:1', pmid: '1' }),
      bibRecord({ id: 'pubmed:2', pmid: '2', year: 2010 }),
    ];
    const first = await ingestAndAlert(records, notifier);
    const second = await ingestAndAlert(records, notifier);
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]?.subject).toMatch(/: 2 new record\(s\)/);
    expect(first.digest?.newCount).toBe(2);
    expect(second.digest).toBeUndefined();
  });

  it('never alerts the same record twice, even when the same batch runs twice at once', async () => {
    const notifier = recordingNotifier();
    const records = [bibRecord({ id: 'pubmed:1', pmid: '1' })];
    const runs = await Promise.all([ingestAndAlert(records, notifier), ingestAndAlert(records, notifier)]);
    expect(notifier.sent).toHaveLength(1);
    expect(runs.flatMap((run) => run.digest?.top.map((item) => item.id) ?? [])).toEqual(['pubmed:1']);
  });

  it('never alerts a record twice when two different batches bring it', async () => {
    const notifier = recordingNotifier();
    const shared = bibRecord({ id: 'pubmed:1', pmid: '1' });
    await Promise.all([
      ingestAndAlert([shared, bibRecord({ id: 'pubmed:2', pmid: '2', year: 2010 })], notifier),
      ingestAndAlert([shared, bibRecord({ id: 'pubmed:3', pmid: '3', year: 2011 })], notifier),
    ]);
    const told = notifier.sent.flatMap((alert) => alert.markdown.match(/\(pubmed:\d\)/g) ?? []);
    expect(told.sort()).toEqual(['(pubmed:1)', '(pubmed:2)', '(pubmed:3)']);
  });

  it('tells a record when the same batch runs again after sending failed', async () => {
    const records = [bibRecord({ id: 'pubmed:1', pmid: '1' })];
    const failing: Notifier = {
      send: async () => {
        throw new Error('SNS unavailable');
      },
    };
    await expect(ingestAndAlert(records, failing)).rejects.toThrow('SNS unavailable');
    const notifier = recordingNotifier();
    await ingestAndAlert(records, notifier);
    expect(notifier.sent[0]?.subject).toMatch(/: 1 new record\(s\)/);
  });

  it('sends a digest a failed run left unsent from the next ingest, whatever that ingest holds', async () => {
    const failing: Notifier = {
      send: async () => {
        throw new Error('SNS unavailable');
      },
    };
    await expect(ingestAndAlert([bibRecord({ id: 'pubmed:1', pmid: '1' })], failing)).rejects.toThrow();
    const notifier = recordingNotifier();
    // Another process (a new session) ingests something else: the unsent digest goes out first.
    await ingest(
      [bibRecord({ id: 'pubmed:9', pmid: '9', year: 2012 })],
      { store: local.store, clock, notifier, session: { id: 'next-run', staleAfterMs: 0 } },
      { alert: { keywords } },
    );
    expect(notifier.sent.map((alert) => alert.subject)).toEqual([
      expect.stringMatching(/: 1 new record\(s\)/),
      expect.stringMatching(/: 1 new record\(s\)/),
    ]);
    expect(notifier.sent[0]?.markdown).toContain('(pubmed:1)');
    expect(notifier.sent[1]?.markdown).toContain('(pubmed:9)');
  });

  it('raises an alert, and marks included data changed, when an included record is retracted', async () => {
    const original = bibRecord({ id: 'pubmed:5', pmid: '5', doi: '10.5555/retract.5' });
    await ingest([original], { store: local.store, clock }, { dualFraction: 0 });
    const ports = { store: local.store, clock, eligibility: groupPeerSupportEligibility };
    const decide = { recordId: 'pubmed:5', reviewer: 'ana', decision: 'include' as const };
    await screenRecord({ ...decide, stage: 'title-abstract' }, ports);
    await screenRecord({ ...decide, stage: 'full-text' }, ports);
    const includedAt = await local.store.includedDataChangedAt();

    const notice = { ...original, title: `RETRACTED: ${original.title}`, retracted: true };
    const notifier = recordingNotifier();
    const result = await ingestAndAlert([notice], notifier);

    expect(result.retractions).toEqual([
      { id: 'pubmed:5', canonicalId: 'pubmed:5', title: notice.title, included: true },
    ]);
    expect(result.digest?.retractions[0]?.included).toBe(true);
    expect(notifier.sent[0]?.markdown).toContain(notice.title);
    expect(await local.store.includedDataChangedAt()).not.toBe(includedAt);
  });
});
