/**
 * Studies as units: the thing a review includes, extracts and pools, built from its reports (publications,
 * registrations, data sources) and the decisions about them. Pure: the same records, events and baseline always
 * give the same studies.
 *
 * - Reports join automatically where the evidence is strong: records that share a registration (a publication
 *   naming the NCT id, a registration citing the PMID as a result reference) are one study.
 * - A report's assignment (the published review's grouping, an import's data, a reviewer moving it) overrides
 *   that, and reports linked to an assigned one follow it. A merge makes two studies one.
 * - A study is included only by a decision: the published review's (its baseline register) or the team's
 *   full-text inclusion of one of its reports. Nothing else includes a study.
 */
import { studyIdFor } from '#shared/extraction/model.ts';
import type { BaselineTrial } from '#shared/review/baseline.ts';
import type { RecordView } from '#shared/screening/view.ts';
import type { StudyEvent } from './events.ts';

/** Copies with this id prefix are the reports an outcome-data source made for a study it holds data for. */
export const DATA_RECORD_PREFIX = 'data:';

export type StudyStatus = 'included' | 'awaiting-classification' | 'excluded';

export interface StudyInclusion {
  /** The reviewers whose full-text decisions include it, or the published review's authors. */
  by: string[];
  at: string;
  /** e.g. "included at full text: pubmed:123" or "included by Lyons et al. 2021 [53–55]". */
  basis: string;
}

export interface DataJudgement {
  usable: boolean;
  by: string;
  at: string;
  basis: string;
}

export interface StudyUnit {
  id: string;
  label: string;
  /** Surviving record ids, oldest first. */
  reports: string[];
  /** NCT ids of the study's registrations. */
  registrations: string[];
  status: StudyStatus;
  inclusion: StudyInclusion | null;
  /** For excluded studies: the full-text reason code, or "title-abstract". */
  exclusionReason: string | null;
  /** One of the published review's included trials. */
  baseline: boolean;
  /** Reports of the study that have been retracted. */
  retractedReports: string[];
  /** The latest judgement of whether its data are usable; null when nobody judged (then they are). */
  dataJudgement: DataJudgement | null;
  /** Extraction study ids whose data count for this study (itself, and studies merged into it). */
  dataStudyIds: string[];
}

export interface StudyInputs {
  records: readonly RecordView[];
  events: readonly StudyEvent[];
  baseline: { trials: readonly BaselineTrial[]; includedBy: string; decidedAt: string };
  /** Extraction studies (id and label) that hold data, so a study with data but no report is still listed. */
  dataStudies: readonly { id: string; label: string }[];
}

/** "Rüsch N", "Cook, J. A." or "Cook JA" → the surname. */
export function surnameOf(author: string): string {
  const trimmed = author.trim();
  if (trimmed.includes(',')) return trimmed.slice(0, trimmed.indexOf(',')).trim();
  const words = trimmed.split(/\s+/);
  while (words.length > 1 && /^[\p{Lu}.-]{1,4}$/u.test(words.at(-1) ?? '')) words.pop();
  return words.join(' ');
}

/** How a study without an assigned name is cited: first author's surname and year, e.g. "Smith 2025". */
export function citationLabel(view: RecordView): string {
  const author = view.record.authors[0];
  const name = author ? surnameOf(author) : view.record.title.split(/\s+/).slice(0, 3).join(' ');
  return view.record.year ? `${name} ${view.record.year}` : name;
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) as string;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string) {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(rb < ra ? ra : rb, rb < ra ? rb : ra);
  }
}

/** Follows merges to the study that holds everything now; a cycle of merges stops where it would repeat. */
function resolver(events: readonly StudyEvent[]): (studyId: string) => string {
  const into = new Map<string, string>();
  for (const event of events) if (event.action === 'merge') into.set(event.studyId, event.into);
  return (studyId) => {
    const seen = new Set<string>([studyId]);
    let current = studyId;
    for (let next = into.get(current); next !== undefined && !seen.has(next); next = into.get(current)) {
      seen.add(next);
      current = next;
    }
    return current;
  };
}

interface Assignment {
  studyId: string;
  label: string;
}

function assignmentsOf(
  inputs: StudyInputs,
  canonicalOf: Map<string, string>,
  labelOfData: Map<string, string>,
) {
  const assigned = new Map<string, Assignment>();
  for (const view of inputs.records) {
    const dataCopy = view.copies.find((copy) => copy.id.startsWith(DATA_RECORD_PREFIX));
    if (!dataCopy) continue;
    const studyId = dataCopy.id.slice(DATA_RECORD_PREFIX.length);
    assigned.set(view.id, { studyId, label: labelOfData.get(studyId) ?? dataCopy.record.title });
  }
  for (const event of inputs.events) {
    if (event.action !== 'assign') continue;
    const recordId = canonicalOf.get(event.recordId) ?? event.recordId;
    assigned.set(recordId, { studyId: event.studyId, label: event.label });
  }
  return assigned;
}

function statusOf(
  unit: StudyUnit,
  views: RecordView[],
): Pick<StudyUnit, 'status' | 'inclusion' | 'exclusionReason'> {
  if (unit.inclusion) return { status: 'included', inclusion: unit.inclusion, exclusionReason: null };
  const included = views.filter((view) => view.screening.status === 'included');
  if (included.length > 0) {
    const decisions = included.flatMap((view) => view.screening.fullText?.current ?? []);
    return {
      status: 'included',
      inclusion: {
        by: [...new Set(decisions.map((d) => d.reviewer))],
        at:
          decisions
            .map((d) => d.decidedAt)
            .sort()
            .at(-1) ?? '',
        basis: `included at full text: ${included.map((view) => view.id).join(', ')}`,
      },
      exclusionReason: null,
    };
  }
  const excluded = views.filter((view) => view.screening.status.startsWith('excluded'));
  if (views.length > 0 && excluded.length === views.length) {
    const fullText = excluded.find((view) => view.screening.status === 'excluded-full-text');
    return {
      status: 'excluded',
      inclusion: null,
      exclusionReason: fullText ? (fullText.screening.fullText?.reason ?? 'unspecified') : 'title-abstract',
    };
  }
  return { status: 'awaiting-classification', inclusion: null, exclusionReason: null };
}

export function buildStudyUnits(inputs: StudyInputs): StudyUnit[] {
  const resolve = resolver(inputs.events);
  const canonicalOf = new Map<string, string>();
  for (const view of inputs.records) for (const copy of view.copies) canonicalOf.set(copy.id, view.id);
  const labelOfData = new Map(inputs.dataStudies.map((study) => [study.id, study.label]));
  const baselineById = new Map(inputs.baseline.trials.map((trial) => [trial.study.id, trial]));
  const assigned = assignmentsOf(inputs, canonicalOf, labelOfData);

  // Records sharing a registration are one study unless a reviewer assigned them apart.
  const links = new UnionFind();
  const holder = new Map<string, string>();
  for (const view of inputs.records) {
    links.find(view.id);
    for (const nct of new Set([...view.trials, ...view.ids.nctIds])) {
      const other = holder.get(nct);
      if (other) links.union(other, view.id);
      else holder.set(nct, view.id);
    }
  }
  const components = new Map<string, RecordView[]>();
  for (const view of inputs.records) {
    const root = links.find(view.id);
    const members = components.get(root);
    if (members) members.push(view);
    else components.set(root, [view]);
  }

  const units = new Map<string, StudyUnit>();
  const viewsOf = new Map<string, RecordView[]>();
  const unitFor = (id: string, label: string): StudyUnit => {
    const existing = units.get(id);
    if (existing) return existing;
    const trial = baselineById.get(id);
    const unit: StudyUnit = {
      id,
      label: trial?.study.label ?? label,
      reports: [],
      registrations: [],
      status: 'awaiting-classification',
      inclusion: trial
        ? {
            by: [inputs.baseline.includedBy],
            at: inputs.baseline.decidedAt,
            basis: `included by ${inputs.baseline.includedBy} (${trial.citation})`,
          }
        : null,
      exclusionReason: null,
      baseline: trial !== undefined,
      retractedReports: [],
      dataJudgement: trial?.dataJudgement
        ? {
            usable: trial.dataJudgement.usable,
            by: inputs.baseline.includedBy,
            at: inputs.baseline.decidedAt,
            basis: trial.dataJudgement.basis,
          }
        : null,
      dataStudyIds: [],
    };
    units.set(id, unit);
    viewsOf.set(id, []);
    return unit;
  };
  for (const trial of inputs.baseline.trials) unitFor(trial.study.id, trial.study.label);

  const taken = new Set([...units.keys(), ...[...assigned.values()].map((a) => resolve(a.studyId))]);
  for (const members of components.values()) {
    const anchor = members.find((view) => assigned.has(view.id));
    let fallback: Assignment;
    if (anchor) fallback = assigned.get(anchor.id) as Assignment;
    else {
      // Cited by its first report with authors (a publication), else its first report (a registration).
      const first = members.find((view) => view.record.authors.length > 0) ?? (members[0] as RecordView);
      const label = citationLabel(first);
      const id = taken.has(studyIdFor(label)) ? studyIdFor(`${label} ${first.id}`) : studyIdFor(label);
      taken.add(id);
      fallback = { studyId: id, label };
    }
    for (const view of members) {
      const own = assigned.get(view.id) ?? fallback;
      const unit = unitFor(resolve(own.studyId), own.label);
      unit.reports.push(view.id);
      viewsOf.get(unit.id)?.push(view);
    }
  }
  for (const study of inputs.dataStudies) {
    const unit = unitFor(resolve(study.id), study.label);
    unit.dataStudyIds.push(study.id);
  }
  for (const event of inputs.events) {
    if (event.action !== 'judge-data') continue;
    const unit = units.get(resolve(event.studyId));
    if (unit) unit.dataJudgement = { usable: event.usable, by: event.by, at: event.at, basis: event.reason };
  }

  return [...units.values()]
    .map((unit) => {
      const views = viewsOf.get(unit.id) ?? [];
      return {
        ...unit,
        ...statusOf(unit, views),
        registrations: [...new Set(views.flatMap((view) => [...view.trials, ...view.ids.nctIds]))].sort(),
        retractedReports: views.filter((view) => view.retracted).map((view) => view.id),
        dataStudyIds: [...new Set(unit.dataStudyIds)].sort(),
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
}
