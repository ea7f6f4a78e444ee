/** The screening queue: every surviving record still waiting for a decision, and why. Pure. */
import type { Stage } from '#shared/store/ports.ts';
import type { StageState } from './state.ts';
import { openStage, type RecordView } from './view.ts';

export interface QueueItem {
  id: string;
  title: string;
  year?: number;
  source: string;
  ids: RecordView['ids'];
  /** NCT ids of the study candidate (registration and its publications) the record belongs to. */
  study: string[];
  stage: Stage;
  conflict: boolean;
  /** Reviewers who already decided this record at this stage. */
  decidedBy: string[];
  why: string;
}

function describe(state: StageState, view: RecordView): string {
  const [first, second] = state.current;
  switch (state.status) {
    case 'pending':
      return state.stage === 'title-abstract'
        ? `new ${view.sources.join('+')} record identified in cycle ${view.cycle}${view.dual ? ' (dual-screening sample)' : ''}`
        : `passed title/abstract screening (${view.screening.titleAbstract.outcome}): full text to assess`;
    case 'needs-second':
      return `dual-screening sample: needs a second reviewer (first: ${first?.reviewer})`;
    case 'conflict':
      return `conflict: ${first?.reviewer} ${first?.decision} vs ${second?.reviewer} ${second?.decision}; needs a third reviewer`;
    case 'undecided':
      return `full text marked maybe by ${state.current.map((d) => d.reviewer).join(', ')}: needs a final decision`;
    case 'resolved':
      return 'resolved';
  }
}

/** What is left for one reviewer: records they have not decided at the stage waiting for a decision. */
export function queueFor(items: readonly QueueItem[], reviewer: string): QueueItem[] {
  return items.filter((item) => !item.decidedBy.includes(reviewer));
}

export function queueItems(records: readonly RecordView[]): QueueItem[] {
  return records.flatMap((view) => {
    const state = openStage(view);
    if (!state) return [];
    const retracted = view.retracted ? ' [RETRACTED]' : '';
    return [
      {
        id: view.id,
        title: view.record.title,
        ...(view.record.year !== undefined ? { year: view.record.year } : {}),
        source: view.record.source,
        ids: view.ids,
        study: view.trials,
        stage: state.stage,
        conflict: state.status === 'conflict',
        decidedBy: state.current.map((decision) => decision.reviewer),
        why: `${describe(state, view)}${retracted}`,
      },
    ];
  });
}
