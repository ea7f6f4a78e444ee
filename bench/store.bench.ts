/**
 * DynamoDB requests and time per ingested record at store sizes 1k, 10k and 100k (dynalite in memory). The store
 * is seeded with synthetic records written straight to the table (the same items ingest writes), then a fresh
 * batch of new records, and a batch of duplicates of seeded records, go through ingest. Requests per record must
 * not grow with the store: ingest looks keys up, it never scans.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dedupKeys } from '#shared/records/dedup.ts';
import { ingest } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { documentClientFor } from '#shared/store/config.ts';
import { claimItem, copyItem } from '#shared/store/dynamo.ts';
import { type LocalStore, startLocalStore } from '#shared/store/local.ts';
import type { StoredCopy } from '#shared/store/ports.ts';
import { contentHash } from '#shared/text/content-hash.ts';
import { countRequests } from '#test/support/requests.ts';

type RequestCounter = ReturnType<typeof countRequests>;

const SIZES = (process.env.BENCH_STORE_SIZES ?? '1000,10000,100000').split(',').map(Number);
const BATCH = 200;
const WRITE_BATCH = 25;
const SEED_CONCURRENCY = 16;
const WORDS = [
  'peer',
  'group',
  'recovery',
  'support',
  'mutual',
  'psychosis',
  'depression',
  'anxiety',
  'hope',
];

function synthetic(index: number): BibRecord {
  const word = (offset: number) => WORDS[(index + offset) % WORDS.length] as string;
  return {
    source: 'pubmed',
    id: `pubmed:${10_000_000 + index}`,
    pmid: String(10_000_000 + index),
    doi: `10.5555/bench.${index}`,
    nctIds: [],
    title: `Synthetic trial ${index} of ${word(0)} ${word(3)} for ${word(5)}`,
    abstract: 'Synthetic abstract for the store benchmark.',
    authors: [`Author${index % 997} A`],
    year: 2000 + (index % 25),
    publicationTypes: ['Randomized Controlled Trial'],
    mesh: [],
    retracted: false,
  };
}

async function seed(local: LocalStore, count: number): Promise<void> {
  const importedAt = '2026-01-01T00:00:00.000Z';
  const items = Array.from({ length: count }, (_, index) => synthetic(index)).flatMap((record) => {
    const copy: StoredCopy = {
      id: record.id,
      source: record.source,
      canonicalId: record.id,
      record,
      contentHash: contentHash(record),
      cycle: 'seed',
      importedAt,
      dual: false,
    };
    return [copyItem(copy), ...dedupKeys(record).map((key) => claimItem(key, record.id))];
  });
  const chunks: (typeof items)[] = [];
  for (let start = 0; start < items.length; start += WRITE_BATCH)
    chunks.push(items.slice(start, start + WRITE_BATCH));
  const table = local.config.tableName;
  const documents = documentClientFor(local.client);
  const worker = async () => {
    for (let chunk = chunks.pop(); chunk; chunk = chunks.pop()) {
      let pending: Record<string, unknown>[] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
      while (pending && pending.length > 0) {
        const result = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

async function measure(local: LocalStore, records: BibRecord[], counter: RequestCounter) {
  counter.reset();
  const clock = { now: () => new Date('2026-02-01T00:00:00.000Z') };
  const started = performance.now();
  const result = await ingest(records, { store: local.store, clock });
  const ms = performance.now() - started;
  return {
    result,
    requestsPerRecord: counter.total() / records.length,
    msPerRecord: ms / records.length,
    byCommand: counter.byCommand(),
  };
}

export default async function (): Promise<void> {
  console.log('size     kind        records  requests/record  ms/record  requests by command');
  for (const size of SIZES) {
    const local = await startLocalStore();
    try {
      const seedStart = performance.now();
      await seed(local, size);
      const seedSeconds = ((performance.now() - seedStart) / 1000).toFixed(1);
      const counter = countRequests(local.client);
      const fresh = Array.from({ length: BATCH }, (_, index) => synthetic(size + index));
      // Re-indexed copies of seeded records: new PMID and id, same DOI, so each is folded in as a duplicate.
      const duplicates = Array.from({ length: BATCH }, (_, index) => {
        const original = synthetic(Math.floor((index * size) / BATCH));
        return { ...original, id: `pubmed:${90_000_000 + index}`, pmid: String(90_000_000 + index) };
      });
      for (const [kind, records] of [
        ['new', fresh],
        ['duplicate', duplicates],
      ] as const) {
        const run = await measure(local, records, counter);
        const folded = kind === 'new' ? run.result.new.length : run.result.duplicates.length;
        console.log(
          `${String(size).padEnd(8)} ${kind.padEnd(11)} ${String(folded).padEnd(8)} ${run.requestsPerRecord.toFixed(2).padEnd(16)} ${run.msPerRecord.toFixed(2).padEnd(10)} ${JSON.stringify(run.byCommand)}`,
        );
      }
      console.log(`         (seeding ${size} records took ${seedSeconds} s)`);
    } finally {
      await local.close();
    }
  }
}
