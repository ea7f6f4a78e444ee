import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { parseCtgovJson } from '#shared/sources/ctgov/parse.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { bibRecord, memoryStore, steppingClock } from '#test/support/store.ts';

/**
 * A registration's references join a publication to its trial only when their type says the publication reports
 * the trial. The registration (test/fixtures/ctgov/references-typed.json, NCT09990001) cites PMID 90000101 as
 * BACKGROUND (a report of another trial, NCT09990002), 90000102 as RESULT, 90000103 as DERIVED and 90000104 without
 * a type. Stored before or after the registration, only the RESULT and DERIVED reports end up in its study.
 */
const REGISTRATION = 'ctgov:NCT09990001';
const registration = (): BibRecord[] =>
  parseCtgovJson(
    readFileSync(new URL('../../fixtures/ctgov/references-typed.json', import.meta.url), 'utf8'),
  );

const publication = (pmid: string, title: string, nctIds: string[] = []) =>
  bibRecord({ id: `pubmed:${pmid}`, pmid, title, nctIds, authors: [`Author${pmid.slice(-1)} A`] });

const publications = (): BibRecord[] => [
  publication('90000101', 'Peer support in first-episode psychosis: a randomised trial', ['NCT09990002']),
  publication('90000102', 'Group peer support for adults with severe mental illness: trial results'),
  publication('90000103', 'Secondary analysis of a group peer support trial'),
  publication('90000104', 'Loneliness among adults with severe mental illness: a survey'),
];

let local: LocalStore;
beforeEach(async () => {
  local = await memoryStore();
});
afterEach(async () => {
  await local.close();
});

async function unitsHolding() {
  const clock = steppingClock('2026-04-01T09:00:00.000Z');
  const { units } = await loadEvidence(review, local.store, clock);
  const unitOf = (recordId: string) => units.find((unit) => unit.reports.includes(recordId));
  return { unitOf };
}

describe('registration references and study units (embedded store)', () => {
  it.each([
    ['publications stored first', [publications, registration]],
    ['registration stored first', [registration, publications]],
  ] as const)(
    '%s: RESULT and DERIVED reports join the registration, BACKGROUND and untyped do not',
    async (_, order) => {
      const clock = steppingClock();
      const linked: { id: string; nctId: string; via: string }[] = [];
      for (const batch of order) {
        const result = await ingest(batch(), { store: local.store, clock });
        linked.push(...result.linked);
      }

      const { unitOf } = await unitsHolding();
      const trial = unitOf(REGISTRATION);
      expect([...(trial?.reports ?? [])].sort()).toEqual([
        REGISTRATION,
        'pubmed:90000102',
        'pubmed:90000103',
      ]);
      expect(trial?.registrations).toEqual(['NCT09990001']);

      // The background paper stays in its own trial's study; the registration did not merge the two trials.
      const other = unitOf('pubmed:90000101');
      expect(other?.id).not.toBe(trial?.id);
      expect(other?.reports).toEqual(['pubmed:90000101']);
      expect(other?.registrations).toEqual(['NCT09990002']);
      expect(unitOf('pubmed:90000104')?.reports).toEqual(['pubmed:90000104']);

      const referenceLinks = linked.filter((link) => link.via === 'ctgov-reference');
      expect(referenceLinks.map((link) => link.id).sort()).toEqual(['pubmed:90000102', 'pubmed:90000103']);
      expect(new Set(referenceLinks.map((link) => link.nctId))).toEqual(new Set(['NCT09990001']));
    },
  );

  it('keeps the background reference on the stored registration, typed', async () => {
    await ingest(registration(), { store: local.store, clock: steppingClock() });
    const stored = (await local.store.getCopies([REGISTRATION])).get(REGISTRATION);
    expect(stored?.record.registry?.references).toContainEqual({ pmid: '90000101', type: 'BACKGROUND' });
    expect(stored?.record.registry?.pmids).toEqual(['90000102', '90000103']);
  });
});
