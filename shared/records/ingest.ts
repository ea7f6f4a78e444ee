/**
 * The ingest use case: idempotent and safe when two imports run at once, using only single-item conditional
 * writes. Every key a record claims points at one surviving record; the first writer of a key wins and later
 * copies (from any source or run) are folded in, keeping their own copy linked to the survivor.
 * Requests per record do not depend on the store's size: batch gets by key, no scans.
 *
 * Resumable: the records of one call are a batch with an id derived from its content. Each record that will write
 * a copy first writes a journal entry; once every copy is stored the batch is settled from its journal (trial links,
 * retraction notes, the dual sample), its digest is composed and stored, sent, and only then is the batch closed.
 * A run killed at any point leaves the batch open: the same batch run again (a re-import, a re-polled window)
 * continues it, and any later ingest completes a batch its run left with what that run had stored.
 */
import { randomUUID } from 'node:crypto';
import type { Digest } from '#shared/alerts/digest.ts';
import type { Notifier, TeamAlert } from '#shared/alerts/notifier.ts';
import { claimDigest, digestAlert } from '#shared/alerts/send.ts';
import { screeningState } from '#shared/screening/state.ts';
import type {
  AlertLog,
  BatchEntry,
  BatchHead,
  Clock,
  DedupKey,
  IngestJournal,
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

/**
 * The run working on a batch. A batch whose run has not said anything for `staleAfterMs` is taken to be
 * abandoned, and another run completes it.
 */
export interface RunSession {
  id: string;
  staleAfterMs: number;
}

/**
 * A process that has the store to itself (the CLI holds DIR/living-review.pid; tests use their own in-memory
 * store): a batch left by any other process was left by a dead one, so it is completed at once.
 */
export const exclusiveStoreSession: RunSession = { id: randomUUID(), staleAfterMs: 0 };

/**
 * How long a run sharing the deployed table (a Lambda, an operator's CLI run with --table) owns a batch it opened
 * without a word from it: the longest a Lambda may run.
 */
export const DEPLOYED_LEASE_MS = 15 * 60_000;

/** A run sharing the store with others that may be alive (Lambda): a batch is taken over after the lease. */
export function leasedSession(leaseMs: number): RunSession {
  return { id: randomUUID(), staleAfterMs: leaseMs };
}

export interface IngestPorts {
  store: RecordStore &
    IngestJournal &
    AlertLog &
    ScreeningStore & { markIncludedDataChanged(at: string, reason: string): Promise<void> };
  clock: Clock;
  /** Default: exclusiveStoreSession. */
  session?: RunSession;
  /** Sends this batch's digest (with options.alert) and those of batches an earlier run left unsent. */
  notifier?: Notifier;
}

export interface IngestOptions {
  /** Update cycle the records belong to; default: the clock's UTC date. */
  cycle?: string;
  /** Share of this batch's new records that two reviewers screen independently (the first ones). */
  dualFraction?: number;
  /** What the batch is, for the journal ("import ris", "poll pubmed"). */
  label?: string;
  /** Tell the team what is new (ports.notifier sends it): one digest per batch, each item once ever. */
  alert?: { keywords: readonly string[]; top?: number };
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
  /** The batch's id in the store's journal; undefined for an empty batch. */
  batch?: string;
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

export interface IngestRun extends IngestResult {
  /** The digest this run sent; undefined when nothing was new, or another run sent it. */
  digest?: Digest;
  /**
   * False when another live run of the same batch is sending its digest: that run completes the batch, so this
   * one must not treat the batch as done (a poll keeps its watermark).
   */
  complete: boolean;
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

/** Same records, cycle, share and purpose: the same batch, whichever run brings it. */
function batchIdOf(
  records: readonly BibRecord[],
  label: string,
  cycle: string,
  dualFraction: number,
): string {
  return contentHash({
    label,
    cycle,
    dualFraction,
    records: records.map((record) => [record.id, contentHash(record)]),
  }).slice(0, 32);
}

export async function ingest(
  records: readonly BibRecord[],
  ports: IngestPorts,
  options: IngestOptions = {},
): Promise<IngestRun> {
  const cycle = options.cycle ?? ports.clock.now().toISOString().slice(0, 10);
  const session = ports.session ?? exclusiveStoreSession;
  const dualFraction = options.dualFraction ?? DEFAULT_DUAL_FRACTION;
  const label = options.label ?? 'ingest';
  const { id, stored } = await currentBatch(batchIdOf(records, label, cycle, dualFraction), ports);
  // Batches a dead run had fully staged come first: their outcome is fixed, and their copies must be told as new
  // before another batch may change them. Those it left half staged wait (see completeAbandonedBatches).
  await completeAbandonedBatches(ports, { staged: true, continuing: id });
  if (records.length === 0) return { ...emptyResult(cycle), complete: true };
  const now = ports.clock.now().toISOString();
  const planned: BatchHead = {
    id,
    label,
    cycle,
    dualFraction,
    createdAt: now,
    ...(options.alert ? { alert: { keywords: [...options.alert.keywords], top: options.alert.top } } : {}),
    session: session.id,
    heartbeatAt: now,
  };
  // Taking over the batch a dead run left (if another run of it took it first, both go on: that is safe).
  if (stored && stored.session !== session.id)
    await ports.store.touchBatch(id, session.id, now, stored.session);
  // The head is written before the first entry, and only then: a batch that writes nothing leaves no trace.
  let opening: Promise<unknown> | undefined;
  // Decisions a killed run of this batch wrote down are kept, not taken again on a store it had already changed.
  const earlier = stored ? await ports.store.batchEntries(id) : [];
  const batch: StagingBatch = {
    id,
    cycle,
    earlier: new Map(earlier.map((entry) => [entry.position, entry])),
    open: () => (opening ??= ports.store.openBatch(planned)),
  };
  const outcomes = records.map(() => emptyResult(cycle));
  const groups = independentGroups(records);
  let next = 0;
  const worker = async () => {
    for (let group = groups[next++]; group; group = groups[next++]) {
      for (const index of group) {
        await stageOne(records[index] as BibRecord, index, batch, ports, outcomes[index] as IngestResult);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, worker));
  const unchanged = outcomes.flatMap((outcome) => outcome.unchanged);
  if (!stored && !opening) return { ...emptyResult(cycle), unchanged, complete: true };
  await ports.store.markBatchStaged(id, ports.clock.now().toISOString());
  const completed = await completeBatch(planned.id, ports, session);
  return { ...completed, unchanged: [...unchanged, ...completed.unchanged] };
}

interface StagingBatch {
  id: string;
  cycle: string;
  /** Journal entries a killed run of this batch wrote, by position. */
  earlier: Map<number, BatchEntry>;
  /** Writes the batch's head, once, before its first entry. */
  open(): Promise<unknown>;
}

/**
 * The batch these records are, and its head if it is open. A batch with this content that is done already was
 * completed, perhaps by another command, with only what a killed run had stored: what is still missing is a
 * follow-up batch, whose id follows from the one done (so a killed follow-up is continued like any batch).
 */
async function currentBatch(baseId: string, ports: IngestPorts) {
  let id = baseId;
  for (;;) {
    const stored = await ports.store.getBatch(id);
    if (stored?.doneAt === undefined) return { id, stored };
    id = contentHash({ after: id, doneAt: stored.doneAt }).slice(0, 32);
  }
}

/**
 * Completes every batch whose run went quiet (killed, timed out) before it was done. A batch left half staged is
 * better continued by a run of the same records (the same window polled again, the same file imported again),
 * which then stores all of them as one batch, as a run never killed would: so commands call this once their own
 * batches are done. Completed here it keeps what its run had stored, and the rest comes as a later batch.
 */
export async function completeAbandonedBatches(
  ports: IngestPorts,
  only: { staged?: boolean; continuing?: string } = {},
): Promise<void> {
  const session = ports.session ?? exclusiveStoreSession;
  const now = ports.clock.now();
  const staleBefore = new Date(now.getTime() - session.staleAfterMs).toISOString();
  for (const head of await ports.store.openBatches()) {
    if (head.id === only.continuing || head.session === session.id) continue;
    if (only.staged && head.stagedAt === undefined) continue;
    if (head.heartbeatAt !== undefined && head.heartbeatAt >= staleBefore) continue;
    // A batch that owes a digest waits for a run that can send it.
    if (head.alert && !head.sentAt && !ports.notifier) continue;
    // Read a moment ago: a run that took the batch over since, or completed it, keeps it.
    if (!(await ports.store.touchBatch(head.id, session.id, now.toISOString(), head.session))) continue;
    await completeBatch(head.id, ports, session);
  }
}

/**
 * Writes one record's copy (new, or replacing changed content), after the journal entry that lets a later run
 * find it. Links, retraction notes and dual flags come when the batch is settled, from the journal.
 */
async function stageOne(
  record: BibRecord,
  position: number,
  batch: StagingBatch,
  ports: IngestPorts,
  result: IngestResult,
) {
  const { store, clock } = ports;
  const existing = (await store.getCopies([record.id])).get(record.id);
  const hash = contentHash(record);
  if (existing) {
    if (existing.contentHash !== hash) {
      await replaceChanged(existing, record, hash, position, batch, ports, result);
    } else if (existing.batch !== batch.id) {
      // A copy this batch wrote before its run died is settled with the batch; any other is stored already.
      result.unchanged.push(record.id);
    }
    return;
  }
  const importedAt = clock.now().toISOString();
  const keys = dedupKeys(record);
  const decided = batch.earlier.get(position);
  // A killed run may have handed this record's own keys to its survivor already: found again, they would name
  // another matching key than the first run saw. So the decision is written down before any claim, and kept.
  const { match, claims } =
    decided?.id === record.id
      ? {
          ...(decided.match ? { match: decided.match } : {}),
          claims: await store.getClaims(lookupKeys(record)),
        }
      : await findSurvivor(record, store);
  await batch.open();
  await store.putBatchEntry({ batch: batch.id, position, id: record.id, ...(match ? { match } : {}) });
  const copy: StoredCopy = {
    id: record.id,
    source: record.source,
    canonicalId: match?.canonicalId ?? record.id,
    ...(match ? { matchedKey: match.key } : {}),
    record,
    contentHash: hash,
    cycle: batch.cycle,
    importedAt,
    dual: false,
    batch: batch.id,
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
  if (!(await store.putCopy(copy))) result.unchanged.push(record.id);
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

async function replaceChanged(
  existing: StoredCopy,
  record: BibRecord,
  hash: string,
  position: number,
  batch: StagingBatch,
  ports: IngestPorts,
  result: IngestResult,
) {
  const before = existing.record.registry;
  await batch.open();
  await ports.store.putBatchEntry({
    batch: batch.id,
    position,
    id: record.id,
    replaces: {
      contentHash: existing.contentHash,
      ...(before ? { registry: { status: before.status, hasResults: before.hasResults } } : {}),
      retracted: existing.record.retracted,
    },
  });
  const replacement: StoredCopy = { ...existing, record, contentHash: hash, batch: batch.id };
  if (!(await ports.store.replaceCopy(replacement, existing.contentHash))) result.unchanged.push(record.id);
}

/** What each journal entry of the batch amounts to, in the order the records came in. */
async function outcomeOf(head: BatchHead, entries: BatchEntry[], ports: IngestPorts) {
  const copies = await ports.store.getCopies(entries.map((entry) => entry.id));
  const result = emptyResult(head.cycle);
  result.batch = head.id;
  const owned: { entry: BatchEntry; copy: StoredCopy }[] = [];
  for (const entry of entries) {
    const copy = copies.get(entry.id);
    // Never stored (the run died first, or lost a race), or written since by another batch: not this batch's.
    if (!copy || copy.batch !== head.id) continue;
    const { replaces } = entry;
    if (replaces) {
      if (copy.contentHash === replaces.contentHash) continue;
      const after = copy.record.registry;
      const before = replaces.registry;
      if (after && (before?.status !== after.status || (before?.hasResults ?? false) !== after.hasResults)) {
        result.registryChanges.push({
          id: copy.id,
          canonicalId: copy.canonicalId,
          title: copy.record.title,
          from: { ...(before ? { status: before.status } : {}), hasResults: before?.hasResults ?? false },
          to: { status: after.status, hasResults: after.hasResults },
        });
      }
      result.updated.push(copy.id);
    } else if (copy.matchedKey) {
      result.duplicates.push({ id: copy.id, canonicalId: copy.canonicalId, matchedKey: copy.matchedKey });
    } else {
      result.new.push({ id: copy.id, title: copy.record.title, source: copy.source, dual: false });
    }
    owned.push({ entry, copy });
  }
  const sample = new Set(
    result.new.slice(0, Math.ceil(head.dualFraction * result.new.length)).map((entry) => entry.id),
  );
  for (const entry of result.new) entry.dual = sample.has(entry.id);
  return { result, owned };
}

/**
 * Settles, alerts and closes a batch. Every step is idempotent and each stage is recorded in the batch's head,
 * so a run killed anywhere in here leaves the next run exactly this to do again, and nothing twice.
 */
async function completeBatch(id: string, ports: IngestPorts, session: RunSession): Promise<IngestRun> {
  const { store, clock } = ports;
  const entries = await store.batchEntries(id);
  // Read after the entries: a head not settled yet means no run had begun deleting them.
  const head = await store.getBatch(id);
  if (!head || head.doneAt !== undefined)
    return { ...emptyResult(head?.cycle ?? ''), batch: id, complete: true };
  const { result, owned } = await outcomeOf(head, entries, ports);
  if (head.settledAt === undefined) {
    const perCopy = owned.map(() => emptyResult(head.cycle));
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < owned.length; index = next++) {
        const { entry, copy } = owned[index] as (typeof owned)[number];
        await settleCopy(entry, copy, ports, perCopy[index] as IngestResult);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, owned.length) }, worker));
    for (const outcome of perCopy) {
      result.linked.push(...outcome.linked);
      result.retractions.push(...outcome.retractions);
    }
    for (const entry of result.new) if (entry.dual) await store.setDual(entry.id);
    await store.markBatchSettled(head.id, clock.now().toISOString());
  } else {
    // Settled by an earlier run: the retractions it noted are read back, not noted again.
    result.retractions.push(...(await retractionsOf(owned, ports)));
  }
  let digest: Digest | undefined;
  if (head.alert && head.sentAt === undefined) {
    const stored = head.digest ?? (await composeAndStore(head, result, ports, head.alert));
    if (stored) {
      const alert = stored.message
        ? { ...stored.message, id: head.id }
        : digestAlert(stored.digest as Digest, head.id);
      if (!(await sendOnce(head, alert, ports, session))) return { ...result, complete: false };
      if (stored.digest !== undefined) digest = stored.digest as Digest;
    }
  }
  // The outcome is reported by the run that closes the batch; another run of it at the same time reports nothing.
  if (!(await store.closeBatch(head.id, clock.now().toISOString()))) {
    return { ...emptyResult(head.cycle), batch: head.id, ...(digest ? { digest } : {}), complete: true };
  }
  return { ...result, ...(digest ? { digest } : {}), complete: true };
}

async function settleCopy(entry: BatchEntry, copy: StoredCopy, ports: IngestPorts, result: IngestResult) {
  if (entry.replaces) {
    if (copy.record.retracted && !entry.replaces.retracted) await noteRetraction(copy, ports, result);
    return;
  }
  await linkToTrials(copy.record, copy.canonicalId, ports, result);
  if (copy.record.retracted) await noteRetraction(copy, ports, result);
}

/** The retractions a settled batch holds, as settling reported them (without noting them again). */
async function retractionsOf(owned: { entry: BatchEntry; copy: StoredCopy }[], ports: IngestPorts) {
  const retractions: Retraction[] = [];
  for (const { entry, copy } of owned) {
    const retracted = copy.record.retracted && !(entry.replaces?.retracted ?? false);
    if (retracted) retractions.push(await retractionOf(copy, ports));
  }
  return retractions;
}

/** Claims what the team has not been told (for this batch) and stores the digest before anything is sent. */
async function composeAndStore(
  head: BatchHead,
  result: IngestResult,
  ports: IngestPorts,
  alert: NonNullable<BatchHead['alert']>,
) {
  const date = ports.clock.now().toISOString().slice(0, 10);
  const digest = await claimDigest(result, head.id, ports, { ...alert, date });
  if (!digest) return undefined;
  return ports.store.setBatchDigest(head.id, { date, digest });
}

/**
 * Sends the stored alert unless it was sent. The claim to send comes first, so two live runs never both send;
 * a run that died holding it is taken over once stale. Left open: a run killed after the notifier accepted the
 * alert and before `sentAt` was written has the next run send it again, so the notifier is given the batch id to
 * drop the repeat (the local notifier does; SNS cannot).
 */
async function sendOnce(
  head: BatchHead,
  alert: TeamAlert,
  ports: { store: IngestJournal; clock: Clock; notifier?: Notifier },
  session: RunSession,
) {
  const { store, clock, notifier } = ports;
  if (!notifier) return false;
  const now = clock.now();
  const staleBefore = new Date(now.getTime() - session.staleAfterMs).toISOString();
  if (!(await store.claimBatchSend(head.id, session.id, now.toISOString(), staleBefore))) return false;
  try {
    await notifier.send(alert);
  } catch (error) {
    await store.releaseBatchSend(head.id, session.id);
    throw error;
  }
  await store.markBatchSent(head.id, clock.now().toISOString());
  return true;
}

export interface AlertOncePorts {
  store: IngestJournal & AlertLog;
  clock: Clock;
  notifier: Notifier;
  session?: RunSession;
}

/**
 * Tells the team one thing once per key (a source's shortfall for a window, an analysis version's change): the
 * message is stored as a batch without records before it is sent, so a run killed in between leaves it to the
 * next call with this key, or to any later ingest. True when this run sent it.
 */
export async function sendAlertOnce(
  key: string,
  message: TeamAlert,
  ports: AlertOncePorts,
): Promise<boolean> {
  // Claimed the way alerts were claimed before batches held them: sent already.
  if (await ports.store.alertSent(key)) return false;
  const session = ports.session ?? exclusiveStoreSession;
  const now = ports.clock.now().toISOString();
  const head = await ports.store.openBatch({
    id: `alert-${contentHash(key).slice(0, 26)}`,
    label: `alert ${key}`,
    cycle: message.date,
    dualFraction: 0,
    createdAt: now,
    alert: { keywords: [] },
    digest: {
      date: message.date,
      message: { date: message.date, subject: message.subject, markdown: message.markdown },
    },
    session: session.id,
    heartbeatAt: now,
  });
  if (head.doneAt !== undefined || head.digest?.message === undefined) return false;
  let sent = false;
  if (head.sentAt === undefined) {
    sent = await sendOnce(head, { ...head.digest.message, id: head.id }, ports, session);
    // Another live run holds the send: it completes the alert.
    if (!sent) return false;
  }
  await ports.store.closeBatch(head.id, ports.clock.now().toISOString());
  return sent;
}

async function retractionOf(copy: StoredCopy, ports: IngestPorts): Promise<Retraction> {
  const survivor = (await ports.store.getCopies([copy.canonicalId])).get(copy.canonicalId);
  const decisions = await ports.store.decisionsFor(copy.canonicalId);
  const included = screeningState(decisions, survivor?.dual ?? false).status === 'included';
  return { id: copy.id, canonicalId: copy.canonicalId, title: copy.record.title, included };
}

async function noteRetraction(copy: StoredCopy, ports: IngestPorts, result: IngestResult) {
  const retraction = await retractionOf(copy, ports);
  if (retraction.included) {
    await ports.store.markIncludedDataChanged(
      ports.clock.now().toISOString(),
      `retraction of ${copy.canonicalId}`,
    );
  }
  result.retractions.push(retraction);
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
