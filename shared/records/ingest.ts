/**
 * The ingest use case: idempotent and safe when two imports run at once, using only single-item conditional
 * writes. Every key a record claims points at one surviving record; the first writer of a key wins and later
 * copies (from any source or run) are folded in, keeping their own copy linked to the survivor.
 * Requests per record do not depend on the store's size: batch gets by key, no scans.
 */
import { screeningState } from '#shared/screening/state.ts';
import type {
  Clock,
  DedupKey,
  RecordStore,
  ScreeningStore,
  StoredCopy,
  TrialLink,
} from '#shared/store/ports.ts';
import { keyString } from '#shared/store/ports.ts';
import { contentHash } from '#shared/text/content-hash.ts';
import { dedupKeys, lookupKeys } from './dedup.ts';
import { independentGroups } from './independent-groups.ts';
import type { BibRecord } from './record.ts';

export interface IngestPorts {
  store: RecordStore &
    ScreeningStore & { markIncludedDataChanged(at: string, reason: string): Promise<void> };
  clock: Clock;
}

export interface IngestOptions {
  /** Update cycle the records belong to; default: the clock's UTC date. */
  cycle?: string;
  /** Share of this batch's new records that two reviewers screen independently (the first ones). */
  dualFraction?: number;
}

export interface NewRecord {
  id: string;
  title: string;
  source: BibRecord['source'];
  dual: boolean;
}

export interface Duplicate {
  id: string;
  canonicalId: string;
  matchedKey: DedupKey;
}

export interface Linked {
  id: string;
  nctId: string;
  via: TrialLink['via'];
}

export interface RegistryChange {
  id: string;
  canonicalId: string;
  title: string;
  from: { status?: string; hasResults: boolean };
  to: { status: string; hasResults: boolean };
}

export interface Retraction {
  id: string;
  canonicalId: string;
  title: string;
  /** The surviving record had been included: the analysis must change. */
  included: boolean;
}

export interface IngestResult {
  cycle: string;
  new: NewRecord[];
  duplicates: Duplicate[];
  /** Copies already stored exactly as given: nothing written. */
  unchanged: string[];
  /** Copies stored before whose content changed (registry status, retraction...): the copy was replaced. */
  updated: string[];
  linked: Linked[];
  registryChanges: RegistryChange[];
  retractions: Retraction[];
}

export const DEFAULT_DUAL_FRACTION = 0.1;
const MAX_CHAIN = 8;
/** Independent groups of records ingested side by side; the store's conditional writes keep this safe anyway. */
const CONCURRENCY = 8;

function emptyResult(cycle: string): IngestResult {
  return {
    cycle,
    new: [],
    duplicates: [],
    unchanged: [],
    updated: [],
    linked: [],
    registryChanges: [],
    retractions: [],
  };
}

/** One result for the batch, each list in the order the records came in, whatever order they finished in. */
function inBatchOrder(cycle: string, outcomes: IngestResult[]): IngestResult {
  const result = emptyResult(cycle);
  for (const outcome of outcomes) {
    result.new.push(...outcome.new);
    result.duplicates.push(...outcome.duplicates);
    result.unchanged.push(...outcome.unchanged);
    result.updated.push(...outcome.updated);
    result.linked.push(...outcome.linked);
    result.registryChanges.push(...outcome.registryChanges);
    result.retractions.push(...outcome.retractions);
  }
  return result;
}

export async function ingest(
  records: readonly BibRecord[],
  ports: IngestPorts,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const cycle = options.cycle ?? ports.clock.now().toISOString().slice(0, 10);
  const outcomes = records.map(() => emptyResult(cycle));
  const groups = independentGroups(records);
  let next = 0;
  const worker = async () => {
    for (let group = groups[next++]; group; group = groups[next++]) {
      for (const index of group) {
        await ingestOne(records[index] as BibRecord, ports, cycle, outcomes[index] as IngestResult);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, worker));
  const result = inBatchOrder(cycle, outcomes);
  const fraction = options.dualFraction ?? DEFAULT_DUAL_FRACTION;
  const sample = result.new.slice(0, Math.ceil(fraction * result.new.length));
  for (const entry of sample) {
    await ports.store.setDual(entry.id);
    entry.dual = true;
  }
  return result;
}

async function ingestOne(record: BibRecord, ports: IngestPorts, cycle: string, result: IngestResult) {
  const { store, clock } = ports;
  const existing = (await store.getCopies([record.id])).get(record.id);
  const hash = contentHash(record);
  if (existing) {
    if (existing.contentHash === hash) result.unchanged.push(record.id);
    else await updateCopy(existing, record, hash, ports, result);
    return;
  }
  const importedAt = clock.now().toISOString();
  const keys = dedupKeys(record);
  const { match, claims } = await findSurvivor(record, store);
  const copy: StoredCopy = {
    id: record.id,
    source: record.source,
    canonicalId: match?.canonicalId ?? record.id,
    ...(match ? { matchedKey: match.key } : {}),
    record,
    contentHash: hash,
    cycle,
    importedAt,
    dual: false,
  };
  if (!match) {
    const lost = await claimAll(keys, record.id, store);
    if (lost) {
      copy.canonicalId = await resolveSurvivor(lost.holder, store);
      copy.matchedKey = lost.key;
    }
  } else {
    // Keys nobody holds yet now lead to the survivor too, so the next copy finds it by any of them.
    for (const key of keys) {
      if (!claims.has(keyString(key))) await store.claimKey(key, copy.canonicalId);
    }
  }
  if (!(await store.putCopy(copy))) {
    result.unchanged.push(record.id);
    return;
  }
  if (copy.matchedKey) {
    result.duplicates.push({ id: record.id, canonicalId: copy.canonicalId, matchedKey: copy.matchedKey });
  } else {
    result.new.push({ id: record.id, title: record.title, source: record.source, dual: false });
  }
  await linkToTrials(record, copy.canonicalId, ports, result);
  if (record.retracted) await noteRetraction(copy, ports, result);
}

/** The surviving record of the strongest key already claimed, if any, and every claim found. */
async function findSurvivor(record: BibRecord, store: RecordStore) {
  const keys = lookupKeys(record);
  const claims = await store.getClaims(keys);
  for (const key of keys) {
    const holder = claims.get(keyString(key));
    if (holder !== undefined && holder !== record.id) {
      return { match: { key, canonicalId: await resolveSurvivor(holder, store) }, claims };
    }
  }
  return { claims };
}

/** Follows a survivor that was itself folded into another (two imports racing on different keys). */
async function resolveSurvivor(holder: string, store: RecordStore): Promise<string> {
  let current = holder;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const copy = (await store.getCopies([current])).get(current);
    if (!copy || copy.canonicalId === current) return current;
    current = copy.canonicalId;
  }
  return current;
}

/**
 * Claims every key for a new surviving record. If another import claimed one first, this record becomes its
 * duplicate and the keys already claimed are handed over to the winner.
 */
async function claimAll(keys: DedupKey[], id: string, store: RecordStore) {
  const won: DedupKey[] = [];
  for (const key of keys) {
    const holder = await store.claimKey(key, id);
    if (holder !== id) {
      for (const claimed of won) await store.repointClaim(claimed, id, holder);
      return { key, holder };
    }
    won.push(key);
  }
  return undefined;
}

async function updateCopy(
  existing: StoredCopy,
  record: BibRecord,
  hash: string,
  ports: IngestPorts,
  result: IngestResult,
) {
  const replacement: StoredCopy = { ...existing, record, contentHash: hash };
  const replaced = await ports.store.replaceCopy(replacement, existing.contentHash);
  if (!replaced) {
    result.unchanged.push(record.id);
    return;
  }
  const before = existing.record.registry;
  const after = record.registry;
  if (after && (before?.status !== after.status || (before?.hasResults ?? false) !== after.hasResults)) {
    result.registryChanges.push({
      id: record.id,
      canonicalId: existing.canonicalId,
      title: record.title,
      from: { ...(before ? { status: before.status } : {}), hasResults: before?.hasResults ?? false },
      to: { status: after.status, hasResults: after.hasResults },
    });
  }
  if (record.retracted && !existing.record.retracted) await noteRetraction(replacement, ports, result);
  result.updated.push(record.id);
}

async function noteRetraction(copy: StoredCopy, ports: IngestPorts, result: IngestResult) {
  const survivor = (await ports.store.getCopies([copy.canonicalId])).get(copy.canonicalId);
  const decisions = await ports.store.decisionsFor(copy.canonicalId);
  const included = screeningState(decisions, survivor?.dual ?? false).status === 'included';
  if (included) {
    await ports.store.markIncludedDataChanged(
      ports.clock.now().toISOString(),
      `retraction of ${copy.canonicalId}`,
    );
  }
  result.retractions.push({ id: copy.id, canonicalId: copy.canonicalId, title: copy.record.title, included });
}

/** Links publications and registrations into one study candidate, keyed by NCT id. */
async function linkToTrials(
  record: BibRecord,
  canonicalId: string,
  ports: IngestPorts,
  result: IngestResult,
) {
  const { store, clock } = ports;
  const linkedAt = clock.now().toISOString();
  const member = `record:${canonicalId}`;
  const add = async (nctId: string, via: TrialLink['via'], linkMember = member) => {
    if (await store.addTrialLink({ nctId, member: linkMember, via, linkedAt })) {
      if (linkMember.startsWith('record:')) result.linked.push({ id: linkMember.slice(7), nctId, via });
    }
  };
  if (record.source === 'ctgov') {
    const nctId = record.nctIds[0];
    if (!nctId) return;
    await add(nctId, 'registration');
    const pmids = record.registry?.pmids ?? [];
    const claims = await store.getClaims(pmids.map((pmid) => ({ kind: 'pmid', value: pmid })));
    for (const pmid of pmids) {
      await add(nctId, 'ctgov-reference', `pmid:${pmid}`);
      const holder = claims.get(`pmid#${pmid}`);
      if (holder) await add(nctId, 'ctgov-reference', `record:${holder}`);
    }
    return;
  }
  for (const nctId of new Set(record.nctIds.map((id) => id.toUpperCase()))) await add(nctId, 'databank');
  if (record.pmid) {
    for (const nctId of await store.trialsCitingPmid(record.pmid)) await add(nctId, 'ctgov-reference');
  }
}
