/**
 * The screening use cases shared by the CLI and the HTTP API: record a decision, read the queue, read the status.
 * Every check happens before the one write, so a refused command leaves the store as it was.
 */
import { ConflictError, InputError, NotFoundError } from '#shared/errors.ts';
import { isRecordId } from '#shared/records/record.ts';
import type {
  ChangeMarker,
  Clock,
  Decision,
  DecisionValue,
  RecordStore,
  ScreeningStore,
  Stage,
  WatermarkStore,
} from '#shared/store/ports.ts';
import { type Eligibility, reasonFor } from './eligibility.ts';
import { agreement } from './kappa.ts';
import { prismaReport } from './prisma.ts';
import { queueItems } from './queue.ts';
import { type ScreeningState, type StageState, screeningState } from './state.ts';
import { loadReview, type ReviewSnapshot } from './view.ts';

export interface ScreeningPorts {
  store: RecordStore & ScreeningStore & ChangeMarker;
  clock: Clock;
  eligibility: Eligibility;
}

export interface ScreenRequest {
  recordId: string;
  reviewer: string;
  decision: DecisionValue;
  stage: Stage;
  reason?: string;
  /** Free text kept with the decision; at most NOTE_LIMIT characters. */
  note?: string;
  revise?: boolean;
}

export const NOTE_LIMIT = 2000;

export interface ScreenResult {
  decision: Decision;
  state: ScreeningState;
}

/** A reviewer's name as decisions and study changes record it: letters, digits, spaces or . _ @ ' -. */
export const REVIEWER_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@'-]{0,99}$/u;

function checkReason(request: ScreenRequest, eligibility: Eligibility) {
  if (request.reason === undefined) {
    if (request.decision === 'exclude' && request.stage === 'full-text') {
      const codes = eligibility.reasons.map((reason) => reason.code).join(', ');
      throw new InputError(`an exclusion at full text needs --reason (one of ${codes})`);
    }
    return;
  }
  if (request.decision !== 'exclude') {
    throw new InputError(`--reason goes with --decision exclude, not ${request.decision}`);
  }
  reasonFor(eligibility, request.reason);
}

export async function screenRecord(request: ScreenRequest, ports: ScreeningPorts): Promise<ScreenResult> {
  const { store, clock, eligibility } = ports;
  // The id becomes part of a DynamoDB key: one that no parser could have made is refused before it gets there.
  if (!isRecordId(request.recordId)) {
    const shown = request.recordId.length > 60 ? `${request.recordId.slice(0, 60)}…` : request.recordId;
    throw new InputError(
      `'${shown}' is not a record id (pubmed:<PMID>, ctgov:<NCT id>, ris:<16 hex digits> or data:<study id>; see 'living-review queue')`,
    );
  }
  const reviewer = request.reviewer.trim();
  if (!REVIEWER_NAME.test(reviewer)) {
    throw new InputError(`reviewer name '${request.reviewer}' must be letters, digits, spaces or . _ @ ' -`);
  }
  checkReason(request, eligibility);
  const note = request.note?.trim();
  if (note && note.length > NOTE_LIMIT) {
    throw new InputError(`the note is ${note.length} characters long: at most ${NOTE_LIMIT}`);
  }
  const copy = (await store.getCopies([request.recordId])).get(request.recordId);
  if (!copy) throw new NotFoundError(`no record with id '${request.recordId}' (see 'living-review queue')`);
  if (copy.canonicalId !== copy.id) {
    throw new InputError(
      `'${copy.id}' is a duplicate of '${copy.canonicalId}': screen '${copy.canonicalId}' instead`,
    );
  }
  const decisions = await store.decisionsFor(copy.id);
  const rule = eligibility.fullTextSecondReview;
  const before = screeningState(decisions, copy.dual, rule);
  if (request.stage === 'full-text' && before.titleAbstract.status !== 'resolved') {
    throw new ConflictError(
      `'${copy.id}' has not been settled at title/abstract yet; screen that stage first`,
    );
  }
  if (request.stage === 'full-text' && before.titleAbstract.outcome === 'exclude') {
    throw new ConflictError(`'${copy.id}' was excluded at title/abstract; it has no full-text stage`);
  }
  // The stage as the review's rules see it (at full text, with its second-review rule); checked above that a
  // full-text stage exists.
  const state = request.stage === 'title-abstract' ? before.titleAbstract : (before.fullText as StageState);
  const mine = state.current.find((decision) => decision.reviewer === reviewer);
  if (mine && !request.revise) {
    throw new ConflictError(
      `${reviewer} already decided '${copy.id}' at ${request.stage} (${mine.decision}); use --revise to change it`,
    );
  }
  if (!mine && request.revise) {
    throw new InputError(`${reviewer} has no decision on '${copy.id}' at ${request.stage} to revise`);
  }
  if (!mine && state.status === 'resolved') {
    const by = state.current.map((decision) => decision.reviewer).join(', ');
    throw new ConflictError(
      `'${copy.id}' is already settled at ${request.stage} (${state.outcome}, by ${by})`,
    );
  }
  const decision: Decision = {
    recordId: copy.id,
    stage: request.stage,
    reviewer,
    decision: request.decision,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(note ? { note } : {}),
    decidedAt: clock.now().toISOString(),
    revision: mine ? mine.revision + 1 : 1,
  };
  if (!(await store.appendDecision(decision))) {
    throw new ConflictError(`${reviewer}'s decision on '${copy.id}' changed meanwhile; look again and retry`);
  }
  const after = screeningState([...decisions, decision], copy.dual, rule);
  if ((before.status === 'included') !== (after.status === 'included')) {
    await store.markIncludedDataChanged(decision.decidedAt, `screening of ${copy.id}`);
  }
  return { decision, state: after };
}

export async function screeningQueue(store: RecordStore & ScreeningStore) {
  return queueItems((await loadReview(store)).records);
}

export async function reviewStatus(store: RecordStore & ScreeningStore & WatermarkStore) {
  const [snapshot, pubmed, ctgov] = await Promise.all([
    loadReview(store),
    store.getWatermark('pubmed'),
    store.getWatermark('ctgov'),
  ]);
  return statusOf(snapshot, { pubmed, ctgov });
}

/** `reviewStatus` of a snapshot already read, with each source's last successful poll. */
export function statusOf(snapshot: ReviewSnapshot, polls: { pubmed?: string; ctgov?: string }) {
  const { pubmed, ctgov } = polls;
  const queue = queueItems(snapshot.records);
  const prisma = prismaReport(snapshot.copies, snapshot.records);
  return {
    records: snapshot.records.length,
    duplicates: snapshot.copies.length - snapshot.records.length,
    queue: {
      pending: queue.filter((item) => !item.conflict).length,
      conflicts: queue.filter((item) => item.conflict).length,
    },
    included: prisma.cumulative.included,
    agreement: {
      titleAbstract: agreement(snapshot.records, 'title-abstract'),
      fullText: agreement(snapshot.records, 'full-text'),
    },
    // Cumulative counts at the top, each update cycle's under `cycles`.
    prisma: { ...prisma.cumulative, cycles: prisma.cycles },
    sources: { pubmed: { lastSuccess: pubmed ?? null }, ctgov: { lastSuccess: ctgov ?? null } },
  };
}
