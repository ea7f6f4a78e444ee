import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '#shared/records/ingest.ts';
import { queueFor } from '#shared/screening/queue.ts';
import { reviewStatus, type ScreenRequest, screeningQueue, screenRecord } from '#shared/screening/screen.ts';
import type { LocalStore } from '#shared/store/local.ts';
import type { DecisionValue } from '#shared/store/ports.ts';
import { groupPeerSupportEligibility } from '#test/support/group-peer-support.ts';
import { bibRecord, memoryStore, steppingClock } from '#test/support/store.ts';

/**
 * A scripted session: ten new records (the first five in the dual sample) plus two duplicate copies, screened by
 * ana and ben, with cai settling one conflict. Expected counts are worked out by hand in the comments.
 */
let local: LocalStore;
const clock = steppingClock();
const id = (n: number) => `pubmed:${n}`;

async function screen(
  n: number,
  reviewer: string,
  decision: DecisionValue,
  extra: Partial<ScreenRequest> = {},
) {
  await screenRecord(
    { recordId: id(n), reviewer, decision, stage: 'title-abstract', ...extra },
    { store: local.store, clock, eligibility: groupPeerSupportEligibility },
  );
}

beforeAll(async () => {
  local = await memoryStore();
  const records = Array.from({ length: 10 }, (_, n) =>
    bibRecord({
      id: id(n),
      pmid: String(n),
      doi: `10.5555/session.${n}`,
      title: `Session record ${n} about peer groups`,
    }),
  );
  const copies = [0, 1].map((n) =>
    bibRecord({
      id: `ris:copy${n}`,
      source: 'ris',
      doi: `10.5555/SESSION.${n}`,
      title: `Copy ${n} with another title`,
    }),
  );
  await ingest(records, { store: local.store, clock }, { dualFraction: 0.5, cycle: '2026-01' });
  await ingest(copies, { store: local.store, clock }, { cycle: '2026-02' });

  // Title/abstract, dual sample 0-4: (ana, ben) = 0 inc/inc, 1 exc/exc, 2 exc/exc, 3 inc/exc (cai: exc), 4 maybe/inc.
  await screen(0, 'ana', 'include');
  await screen(0, 'ben', 'include');
  await screen(1, 'ana', 'exclude');
  await screen(1, 'ben', 'exclude');
  await screen(2, 'ana', 'exclude');
  await screen(2, 'ben', 'exclude');
  await screen(3, 'ana', 'include');
  await screen(3, 'ben', 'exclude');
  await screen(3, 'cai', 'exclude');
  await screen(4, 'ana', 'maybe');
  await screen(4, 'ben', 'include');
  // Single screening 5-8 by ana; 9 left pending. 7 is a maybe, so it goes on to full text.
  await screen(5, 'ana', 'include');
  await screen(6, 'ana', 'exclude');
  await screen(7, 'ana', 'maybe');
  await screen(8, 'ben', 'exclude');
  // Full text: 0 (dual) included by both, 5 excluded for not being group support, 7 included.
  await screen(0, 'ana', 'include', { stage: 'full-text' });
  await screen(0, 'ben', 'include', { stage: 'full-text' });
  await screen(5, 'ana', 'exclude', { stage: 'full-text', reason: 'not-group' });
  await screen(7, 'ana', 'include', { stage: 'full-text' });
});

afterAll(async () => {
  await local.close();
});

describe('a scripted screening session', () => {
  it('queues the unscreened record and flags the conflict for a third reviewer', async () => {
    const queue = await screeningQueue(local.store);
    expect(queue.map((item) => [item.id, item.stage, item.conflict])).toEqual([
      [id(4), 'title-abstract', true],
      [id(9), 'title-abstract', false],
    ]);
    expect(queue[0]?.why).toBe('conflict: ana maybe vs ben include; needs a third reviewer');
  });

  it("leaves out of a reviewer's queue what that reviewer already decided", async () => {
    const queue = await screeningQueue(local.store);
    expect(queueFor(queue, 'ana').map((item) => item.id)).toEqual([id(9)]);
    expect(queueFor(queue, 'cai').map((item) => item.id)).toEqual([id(4), id(9)]);
  });

  it('counts records, duplicates, queue and inclusions', async () => {
    const status = await reviewStatus(local.store);
    expect(status).toMatchObject({
      records: 10,
      duplicates: 2,
      queue: { pending: 1, conflicts: 1 },
      included: 2,
    });
  });

  it("computes Cohen's kappa over the dual sample's first decisions", async () => {
    // Pairs: inc/inc, exc/exc, exc/exc, inc/exc, maybe/inc. po = 3/5 = 0.6.
    // ana: inc 2, exc 2, maybe 1; ben: inc 2, exc 3. pe = 0.4*0.4 + 0.4*0.6 + 0.2*0 = 0.4. kappa = 0.2/0.6 = 1/3.
    const { agreement } = await reviewStatus(local.store);
    expect(agreement.titleAbstract).toMatchObject({ pairs: 5, agreed: 3 });
    expect(agreement.titleAbstract.observed).toBeCloseTo(0.6, 12);
    expect(agreement.titleAbstract.expected).toBeCloseTo(0.4, 12);
    expect(agreement.titleAbstract.kappa).toBeCloseTo(1 / 3, 12);
    // Only record 0 was dual-screened at full text, both including: chance agreement 1, kappa undefined.
    expect(agreement.fullText).toMatchObject({ pairs: 1, agreed: 1, kappa: null });
  });

  it('derives the PRISMA 2020 flow, cumulative and per cycle', async () => {
    const { prisma } = await reviewStatus(local.store);
    const { cycles, ...cumulative } = prisma;
    expect(cumulative).toEqual({
      identified: { total: 12, pubmed: 10, ctgov: 0, ris: 2, data: 0 },
      // The two RIS copies name no database (no DB line).
      identifiedByDatabase: { '': 2 },
      duplicatesRemoved: 2,
      recordsToScreen: 10,
      screened: 8,
      awaitingScreening: 2,
      excludedTitleAbstract: 5,
      fullTextAssessed: 3,
      awaitingFullText: 0,
      excludedFullText: { total: 1, byReason: { 'not-group': 1 } },
      included: 2,
      includedStudies: 2,
      retractedIncluded: 0,
    });
    expect(cycles['2026-01']?.identified.total).toBe(10);
    expect(cycles['2026-01']?.included).toBe(2);
    expect(cycles['2026-02']).toMatchObject({
      identified: { total: 2, ris: 2 },
      duplicatesRemoved: 2,
    });
    expect(cycles['2026-02']?.recordsToScreen).toBe(0);
  });

  it('keeps every decision, revisions included, with reviewer and time', async () => {
    await screen(9, 'ana', 'include');
    await screen(9, 'ana', 'exclude', { revise: true });
    const decisions = await local.store.decisionsFor(id(9));
    expect(decisions.map((d) => [d.reviewer, d.decision, d.revision])).toEqual([
      ['ana', 'include', 1],
      ['ana', 'exclude', 2],
    ]);
    expect(decisions.every((d) => !Number.isNaN(Date.parse(d.decidedAt)))).toBe(true);
  });
});
