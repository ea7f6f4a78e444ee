import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { parseCtgovJson } from '#shared/sources/ctgov/parse.ts';
import { parsePubmedXml } from '#shared/sources/pubmed/parse.ts';
import { parseRis } from '#shared/sources/ris/parse.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { bibRecord, dumpTable, memoryStore, steppingClock } from '#test/support/store.ts';

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
const ris = (name: string) => parseRis(fixture(`ris/${name}`));
const pubmedTrial = () => parsePubmedXml(fixture('pubmed/pubmed-29768149.xml')).records;

let local: LocalStore;
beforeEach(async () => {
  local = await memoryStore();
});
afterEach(async () => {
  await local.close();
});

const run = (records: BibRecord[], clock = steppingClock()) => ingest(records, { store: local.store, clock });

async function survivors() {
  return (await local.store.listCopies()).filter((copy) => copy.canonicalId === copy.id);
}

describe('ingest', () => {
  it('stores every new unique record once and queues it', async () => {
    const result = await run(ris('psycinfo.ris'));
    expect(result.new).toHaveLength(3);
    expect(await survivors()).toHaveLength(3);
  });

  it('changes nothing when the same files are imported again', async () => {
    const all = [...pubmedTrial(), ...ris('psycinfo.ris'), ...ris('embase.ris'), ...ris('zotero.ris')];
    await run(all);
    const before = await dumpTable(local);
    const again = await run(all, steppingClock('2026-02-01T00:00:00.000Z'));
    expect(await dumpTable(local)).toEqual(before);
    expect(again.new).toEqual([]);
    expect(again.duplicates).toEqual([]);
    expect(again.unchanged).toHaveLength(all.length);
  });

  it('folds a DOI duplicate from another source into the surviving record', async () => {
    await run(pubmedTrial());
    const result = await run(ris('psycinfo.ris'));
    const copy = ris('psycinfo.ris')[1] as BibRecord;
    expect(result.duplicates).toEqual([
      {
        id: copy.id,
        canonicalId: 'pubmed:29768149',
        matchedKey: { kind: 'doi', value: '10.1056/nejmoa1715274' },
      },
    ]);
    const copies = await local.store.copiesOf('pubmed:29768149');
    expect(copies.map((stored) => stored.id).sort()).toEqual([copy.id, 'pubmed:29768149'].sort());
  });

  it('folds a PMID duplicate (CENTRAL accession) into the surviving record', async () => {
    await run(pubmedTrial());
    const result = await run(ris('central.ris'));
    expect(result.duplicates[0]?.matchedKey).toEqual({ kind: 'pmid', value: '29768149' });
  });

  it('folds a near-title duplicate: other spelling, hyphenation, author style, no DOI', async () => {
    await run(ris('psycinfo.ris'));
    const result = await run(ris('embase.ris'));
    const survivor = ris('psycinfo.ris')[0] as BibRecord;
    expect(result.duplicates).toHaveLength(1);
    expect(result.duplicates[0]?.canonicalId).toBe(survivor.id);
    expect(result.duplicates[0]?.matchedKey.kind).toBe('title');
  });

  it('folds a preprint into its article published a year later', async () => {
    const preprint = bibRecord({
      id: 'ris:preprint',
      source: 'ris',
      year: 2020,
      doi: '10.31234/osf.io/abcde',
    });
    const article = bibRecord({ id: 'pubmed:7', pmid: '7', year: 2021, doi: '10.5555/article.7' });
    await run([preprint]);
    const result = await run([article]);
    expect(result.duplicates).toEqual([
      { id: 'pubmed:7', canonicalId: 'ris:preprint', matchedKey: expect.objectContaining({ kind: 'title' }) },
    ]);
  });

  it('folds a record re-indexed under a new PMID', async () => {
    await run([bibRecord({ id: 'pubmed:100', pmid: '100' })]);
    const result = await run([bibRecord({ id: 'pubmed:200', pmid: '200' })]);
    expect(result.duplicates[0]?.canonicalId).toBe('pubmed:100');
  });

  it('keeps records with different titles, years far apart or other first authors apart', async () => {
    const result = await run([
      bibRecord({ id: 'pubmed:1', pmid: '1' }),
      bibRecord({ id: 'pubmed:2', pmid: '2', year: 2024 }),
      bibRecord({ id: 'pubmed:3', pmid: '3', authors: ['Okafor AN'] }),
      bibRecord({
        id: 'pubmed:4',
        pmid: '4',
        title: 'Peer support groups for carers of people with dementia',
      }),
    ]);
    expect(result.new).toHaveLength(4);
  });

  it('links a publication naming an NCT id and the registration into one study candidate', async () => {
    const registration = parseCtgovJson(fixture('ctgov/NCT03630471.json'));
    const protocol = ris('embase.ris')[1] as BibRecord;
    const result = await run([...registration, protocol]);
    expect(result.linked).toEqual(
      expect.arrayContaining([
        { id: 'ctgov:NCT03630471', nctId: 'NCT03630471', via: 'registration' },
        { id: protocol.id, nctId: 'NCT03630471', via: 'databank' },
      ]),
    );
    expect(result.new).toHaveLength(2);
  });

  it('links a publication whose PMID the registration cites, whichever arrives first', async () => {
    const registration = parseCtgovJson(fixture('ctgov/NCT03630471.json'));
    const cited = bibRecord({ id: 'pubmed:31533783', pmid: '31533783' });
    const later = await run([...registration, cited]);
    expect(later.linked).toContainEqual({
      id: 'pubmed:31533783',
      nctId: 'NCT03630471',
      via: 'ctgov-reference',
    });
    await local.close();
    local = await memoryStore();
    const earlier = await run([cited, ...registration]);
    expect(earlier.linked).toContainEqual({
      id: 'pubmed:31533783',
      nctId: 'NCT03630471',
      via: 'ctgov-reference',
    });
  });

  it('puts the first share of each batch of new records in the dual-screening sample', async () => {
    const records = Array.from({ length: 20 }, (_, index) =>
      bibRecord({
        id: `pubmed:${index + 1}`,
        pmid: String(index + 1),
        title: `Distinct trial number ${index} of peer groups`,
      }),
    );
    const result = await ingest(
      records,
      { store: local.store, clock: steppingClock() },
      { dualFraction: 0.1 },
    );
    expect(result.new.filter((entry) => entry.dual).map((entry) => entry.id)).toEqual([
      'pubmed:1',
      'pubmed:2',
    ]);
    expect((await survivors()).filter((copy) => copy.dual)).toHaveLength(2);
  });

  it('reports a registry status change and posted results when a registration is imported again', async () => {
    const [registration] = parseCtgovJson(fixture('ctgov/NCT03630471.json')) as [BibRecord];
    await run([registration]);
    const completed = {
      ...registration,
      registry: {
        ...(registration.registry as NonNullable<BibRecord['registry']>),
        status: 'COMPLETED',
        hasResults: true,
      },
    };
    const recruiting = {
      ...completed,
      registry: { ...completed.registry, status: 'RECRUITING', hasResults: false },
    };
    await run([recruiting]);
    const result = await run([completed]);
    expect(result.updated).toEqual(['ctgov:NCT03630471']);
    expect(result.registryChanges).toEqual([
      {
        id: 'ctgov:NCT03630471',
        canonicalId: 'ctgov:NCT03630471',
        title: registration.title,
        from: { status: 'RECRUITING', hasResults: false },
        to: { status: 'COMPLETED', hasResults: true },
      },
    ]);
  });

  it('flags a retracted copy', async () => {
    const result = await run(ris('zotero.ris'));
    expect(result.retractions).toEqual([expect.objectContaining({ included: false })]);
  });
});

describe('ingest under concurrency', () => {
  const batch = () => [
    ...pubmedTrial(),
    ...ris('psycinfo.ris'),
    ...ris('embase.ris'),
    ...ris('central.ris'),
    ...ris('endnote.ris'),
    ...ris('zotero.ris'),
    ...Array.from({ length: 30 }, (_, index) =>
      bibRecord({
        id: `pubmed:${900 + index}`,
        pmid: String(900 + index),
        title: `Peer group trial ${index} in adults`,
      }),
    ),
  ];

  it('leaves no duplicate when two imports of the same batch run at once', async () => {
    const alone = await memoryStore();
    await ingest(batch(), { store: alone.store, clock: steppingClock() });
    const expected = (await alone.store.listCopies()).filter((copy) => copy.canonicalId === copy.id).length;
    await alone.close();

    const [first, second] = await Promise.all([run(batch()), run(batch())]);
    const stored = await local.store.listCopies();
    expect(stored).toHaveLength(batch().length);
    expect(await survivors()).toHaveLength(expected);
    expect(first.new.length + second.new.length).toBe(expected);
  });

  it('keeps one surviving record when two sources deliver the same article at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const title = `Peer support groups in round ${round} of a racing import`;
      const pubmedCopy = bibRecord({
        id: `pubmed:${round}`,
        pmid: String(round),
        doi: `10.5555/race.${round}`,
        title,
      });
      const risCopy = bibRecord({
        id: `ris:${round}`,
        source: 'ris',
        doi: `https://doi.org/10.5555/RACE.${round}`,
        title: `${title}.`,
      });
      await Promise.all([run([pubmedCopy]), run([risCopy])]);
    }
    const stored = await local.store.listCopies();
    expect(stored).toHaveLength(10);
    expect(await survivors()).toHaveLength(5);
  });
});
