import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notifier, TeamAlert } from '#shared/alerts/notifier.ts';
import { alertAfterPoll } from '#shared/alerts/send.ts';
import { ingest } from '#shared/records/ingest.ts';
import { groupPeerSupportEligibility } from '#shared/review/group-peer-support/eligibility.ts';
import { screenRecord } from '#shared/screening/screen.ts';
import type { LocalStore } from '#shared/store/local.ts';
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
    const first = await ingest(records, { store: local.store, clock });
    await alertAfterPoll(first, { store: local.store, notifier, clock }, { keywords });
    const second = await ingest(records, { store: local.store, clock });
    const none = await alertAfterPoll(second, { store: local.store, notifier, clock }, { keywords });
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]?.subject).toMatch(/: 2 new record\(s\)/);
    expect(none).toBeUndefined();
  });

  it('never alerts the same record twice, even if the same poll result is sent again', async () => {
    const notifier = recordingNotifier();
    const result = await ingest([bibRecord({ id: 'pubmed:1', pmid: '1' })], { store: local.store, clock });
    const digests = await Promise.all([
      alertAfterPoll(result, { store: local.store, notifier, clock }, { keywords }),
      alertAfterPoll(result, { store: local.store, notifier, clock }, { keywords }),
    ]);
    expect(notifier.sent).toHaveLength(1);
    expect(digests.flatMap((digest) => digest?.top.map((item) => item.id) ?? [])).toEqual(['pubmed:1']);
  });

  it('tells a record again on the next poll if sending failed', async () => {
    const result = await ingest([bibRecord({ id: 'pubmed:1', pmid: '1' })], { store: local.store, clock });
    const failing: Notifier = {
      send: async () => {
        throw new Error('SNS unavailable');
      },
    };
    await expect(
      alertAfterPoll(result, { store: local.store, notifier: failing, clock }, { keywords }),
    ).rejects.toThrow('SNS unavailable');
    const notifier = recordingNotifier();
    await alertAfterPoll(result, { store: local.store, notifier, clock }, { keywords });
    expect(notifier.sent[0]?.subject).toMatch(/: 1 new record\(s\)/);
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
    const result = await ingest([notice], { store: local.store, clock });
    const notifier = recordingNotifier();
    const digest = await alertAfterPoll(result, { store: local.store, notifier, clock }, { keywords });

    expect(result.retractions).toEqual([
      { id: 'pubmed:5', canonicalId: 'pubmed:5', title: notice.title, included: true },
    ]);
    expect(digest?.retractions[0]?.included).toBe(true);
    expect(notifier.sent[0]?.markdown).toContain(notice.title);
    expect(await local.store.includedDataChangedAt()).not.toBe(includedAt);
  });
});
