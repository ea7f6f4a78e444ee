/**
 * Where a record stands at each screening stage, derived from its append-only decisions. Pure functions.
 * Rules: a record in the dual-screening sample needs two reviewers; if they disagree it is a conflict until a
 * third reviewer decides. Otherwise one decision settles the stage. At title/abstract "maybe" passes the record to
 * full text; at full text "maybe" leaves it awaiting a final decision.
 */
import type { Decision, DecisionValue, Stage } from '#shared/store/ports.ts';
import { contentHash } from '#shared/text/content-hash.ts';

/**
 * Who checks full-text decisions a second time, blind to the first: e.g. "the second reviewer ... screened all
 * included studies and 10% of the excluded studies". Without a rule only the dual sample is screened twice.
 */
export interface FullTextSecondReview {
  allIncluded: boolean;
  /** Share of full-text exclusions checked by a second reviewer, chosen by a hash of the record id. */
  excludedFraction: number;
  /** Deciders whose decision settles alone (the published review's authors, whose own process checked it). */
  settledBy?: readonly string[];
}

/** A stable, even choice of about `fraction` of all record ids. */
export function inSample(recordId: string, fraction: number): boolean {
  return Number.parseInt(contentHash(recordId).slice(0, 8), 16) / 0x100000000 < fraction;
}

function fullTextIsDual(
  decisions: readonly Decision[],
  recordId: string,
  dual: boolean,
  rule: FullTextSecondReview | undefined,
): boolean {
  if (dual || !rule) return dual;
  const first = firstDecisions(decisions, 'full-text')[0];
  if (!first || rule.settledBy?.includes(first.reviewer)) return false;
  if (first.decision === 'include') return rule.allIncluded;
  return first.decision === 'exclude' && inSample(recordId, rule.excludedFraction);
}

export type StageStatus = 'pending' | 'needs-second' | 'conflict' | 'undecided' | 'resolved';

export interface StageState {
  stage: Stage;
  status: StageStatus;
  /** Settled outcome when status is "resolved". */
  outcome?: DecisionValue;
  reason?: string;
  /** Each reviewer's latest decision, in the order reviewers first decided. */
  current: Decision[];
}

function byTime(a: Decision, b: Decision): number {
  return a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : a.revision - b.revision;
}

/** Each reviewer's first (independent) decision at a stage, in the order they were made. */
export function firstDecisions(decisions: readonly Decision[], stage: Stage): Decision[] {
  return decisions.filter((d) => d.stage === stage && d.revision === 1).sort(byTime);
}

/** Each reviewer's latest decision at a stage, ordered by when the reviewer first decided. */
export function currentDecisions(decisions: readonly Decision[], stage: Stage): Decision[] {
  const latest = new Map<string, Decision>();
  for (const decision of decisions.filter((d) => d.stage === stage)) {
    const seen = latest.get(decision.reviewer);
    if (!seen || decision.revision > seen.revision) latest.set(decision.reviewer, decision);
  }
  const order = firstDecisions(decisions, stage).map((d) => d.reviewer);
  return order.flatMap((reviewer) => {
    const decision = latest.get(reviewer);
    return decision ? [decision] : [];
  });
}

function settle(stage: Stage, decision: Decision, current: Decision[]): StageState {
  if (stage === 'full-text' && decision.decision === 'maybe') return { stage, status: 'undecided', current };
  return {
    stage,
    status: 'resolved',
    outcome: decision.decision,
    ...(decision.reason ? { reason: decision.reason } : {}),
    current,
  };
}

export function stageState(decisions: readonly Decision[], stage: Stage, dual: boolean): StageState {
  const current = currentDecisions(decisions, stage);
  const [first, second, ...others] = current;
  if (!first) return { stage, status: 'pending', current };
  if (!dual) return settle(stage, first, current);
  if (!second) return { stage, status: 'needs-second', current };
  if (first.decision === second.decision) return settle(stage, second, current);
  const arbiter = others.at(-1);
  return arbiter ? settle(stage, arbiter, current) : { stage, status: 'conflict', current };
}

export type RecordStatus =
  | 'title-abstract'
  | 'excluded-title-abstract'
  | 'full-text'
  | 'excluded-full-text'
  | 'included';

export interface ScreeningState {
  titleAbstract: StageState;
  fullText?: StageState;
  status: RecordStatus;
}

export function screeningState(
  decisions: readonly Decision[],
  dual: boolean,
  rule?: FullTextSecondReview,
): ScreeningState {
  const titleAbstract = stageState(decisions, 'title-abstract', dual);
  if (titleAbstract.status !== 'resolved') return { titleAbstract, status: 'title-abstract' };
  if (titleAbstract.outcome === 'exclude') return { titleAbstract, status: 'excluded-title-abstract' };
  const recordId = decisions[0]?.recordId ?? '';
  const fullText = stageState(decisions, 'full-text', fullTextIsDual(decisions, recordId, dual, rule));
  if (fullText.status !== 'resolved') return { titleAbstract, fullText, status: 'full-text' };
  return {
    titleAbstract,
    fullText,
    status: fullText.outcome === 'include' ? 'included' : 'excluded-full-text',
  };
}
