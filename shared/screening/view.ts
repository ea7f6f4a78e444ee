/**
 * The review as screeners see it: one entry per surviving record, with every source copy, identifiers, study
 * candidate (NCT ids) and screening state. Built purely from what the store holds.
 */
import type { BibRecord, SourceName } from '#shared/records/record.ts';
import type { Decision, RecordStore, ScreeningStore, StoredCopy, TrialLink } from '#shared/store/ports.ts';
import { type FullTextSecondReview, type ScreeningState, type StageState, screeningState } from './state.ts';

export interface RecordView {
  id: string;
  record: BibRecord;
  copies: StoredCopy[];
  ids: { pmids: string[]; dois: string[]; nctIds: string[] };
  sources: SourceName[];
  cycle: string;
  importedAt: string;
  dual: boolean;
  retracted: boolean;
  /** NCT ids of the study candidate this record belongs to. */
  trials: string[];
  decisions: Decision[];
  screening: ScreeningState;
}

export interface ReviewSnapshot {
  copies: StoredCopy[];
  decisions: Decision[];
  links: TrialLink[];
  records: RecordView[];
}

/** Map.groupBy is not in Node 20. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function distinct(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => !!value))].sort();
}

export function buildViews(
  copies: StoredCopy[],
  decisions: Decision[],
  links: TrialLink[],
  rule?: FullTextSecondReview,
): RecordView[] {
  const copiesBySurvivor = groupBy(copies, (copy) => copy.canonicalId);
  const decisionsByRecord = groupBy(decisions, (decision) => decision.recordId);
  const trialsByMember = groupBy(links, (link) => link.member);
  const survivors = copies
    .filter((copy) => copy.canonicalId === copy.id)
    .sort((a, b) =>
      a.importedAt === b.importedAt ? (a.id < b.id ? -1 : 1) : a.importedAt < b.importedAt ? -1 : 1,
    );
  return survivors.map((survivor) => {
    const group = copiesBySurvivor.get(survivor.id) ?? [survivor];
    const own = decisionsByRecord.get(survivor.id) ?? [];
    const records = group.map((copy) => copy.record);
    return {
      id: survivor.id,
      record: survivor.record,
      copies: group,
      ids: {
        pmids: distinct(records.map((record) => record.pmid)),
        dois: distinct(records.map((record) => record.doi)),
        nctIds: distinct(records.flatMap((record) => record.nctIds)),
      },
      sources: distinct(group.map((copy) => copy.source)) as SourceName[],
      cycle: survivor.cycle,
      importedAt: survivor.importedAt,
      dual: survivor.dual,
      retracted: records.some((record) => record.retracted),
      trials: distinct((trialsByMember.get(`record:${survivor.id}`) ?? []).map((link) => link.nctId)),
      decisions: own,
      screening: screeningState(own, survivor.dual, rule),
    };
  });
}

export async function loadReview(
  store: RecordStore & ScreeningStore,
  rule?: FullTextSecondReview,
): Promise<ReviewSnapshot> {
  const [copies, decisions, links] = await Promise.all([
    store.listCopies(),
    store.listDecisions(),
    store.listTrialLinks(),
  ]);
  return { copies, decisions, links, records: buildViews(copies, decisions, links, rule) };
}

/** The stage a record waits at (title/abstract or full text), or undefined when its screening is over. */
export function openStage(view: RecordView): StageState | undefined {
  if (view.screening.status === 'title-abstract') return view.screening.titleAbstract;
  if (view.screening.status === 'full-text') return view.screening.fullText;
  return undefined;
}
