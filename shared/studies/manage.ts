/**
 * The team's hand on studies: merge two studies that are one trial, move a report to another (or a new) study,
 * and record whether an included study's data are usable. Every change is one appended event with who, when and
 * why; every check happens before that one write, so a refused command changes nothing.
 */
import { InputError, NotFoundError } from '#shared/errors.ts';
import { studyIdFor } from '#shared/extraction/model.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { REVIEWER_NAME } from '#shared/screening/screen.ts';
import type { Clock } from '#shared/store/ports.ts';
import { recordStudyEvent, type StudyEvent } from './events.ts';
import { type Evidence, type EvidenceStore, loadEvidence } from './load.ts';
import type { StudyUnit } from './units.ts';

export interface StudyPorts {
  review: ReviewConfig;
  store: EvidenceStore;
  clock: Clock;
}

export interface StudyChange {
  /** Who decides; recorded with the change. */
  by: string;
  /** Why, in the team's words; recorded with the change. */
  reason: string;
}

function checkChange(change: StudyChange) {
  if (!REVIEWER_NAME.test(change.by.trim()))
    throw new InputError(`'${change.by}' is not a name: letters, digits, spaces or . _ @ ' - (at most 100)`);
  if (change.reason.trim() === '')
    throw new InputError('a reason is required: say why, it is kept with the change');
  if (change.reason.length > 2000) throw new InputError('the reason is longer than 2,000 characters');
}

function findUnit(evidence: Evidence, studyId: string): StudyUnit {
  const unit = evidence.units.find((candidate) => candidate.id === studyId);
  if (!unit) {
    const known = evidence.units
      .map((candidate) => candidate.id)
      .slice(0, 12)
      .join(', ');
    throw new NotFoundError(
      `no study '${studyId}' (known studies include: ${known}; see 'living-review study list')`,
    );
  }
  return unit;
}

async function record(ports: StudyPorts, event: StudyEvent): Promise<StudyEvent> {
  await recordStudyEvent(ports.store, event);
  await ports.store.markIncludedDataChanged(event.at, `study ${event.action}: ${event.studyId}`);
  return event;
}

/** `from` is the same trial as `into`: its reports and data count for `into` from now on. */
export async function mergeStudies(
  request: StudyChange & { from: string; into: string },
  ports: StudyPorts,
): Promise<StudyEvent> {
  checkChange(request);
  const evidence = await loadEvidence(ports.review, ports.store, ports.clock);
  const from = findUnit(evidence, request.from);
  const into = findUnit(evidence, request.into);
  if (from.id === into.id) throw new InputError(`'${from.id}' and '${into.id}' are already one study`);
  if (from.baseline && into.baseline)
    throw new InputError(
      `${from.label} and ${into.label} are both trials of the published review; they stay apart`,
    );
  return record(ports, {
    action: 'merge',
    studyId: from.id,
    into: into.id,
    by: request.by.trim(),
    at: ports.clock.now().toISOString(),
    reason: request.reason.trim(),
  });
}

/** Moves a report to another study, or to a new one when `label` names it (a split). */
export async function moveReport(
  request: StudyChange & { recordId: string; to: string; label?: string },
  ports: StudyPorts,
): Promise<StudyEvent> {
  checkChange(request);
  const evidence = await loadEvidence(ports.review, ports.store, ports.clock);
  const view = evidence.snapshot.records.find(
    (candidate) =>
      candidate.id === request.recordId || candidate.copies.some((c) => c.id === request.recordId),
  );
  if (!view) throw new NotFoundError(`no record with id '${request.recordId}' (see 'living-review queue')`);
  const target = evidence.units.find((unit) => unit.id === request.to);
  let label = target?.label;
  if (!target) {
    if (!request.label)
      throw new InputError(
        `there is no study '${request.to}': give --label to start a new study with that report`,
      );
    if (studyIdFor(request.label) !== request.to)
      throw new InputError(
        `a new study's id is made from its label: '${request.label}' gives '${studyIdFor(request.label)}'`,
      );
    label = request.label;
  }
  return record(ports, {
    action: 'assign',
    recordId: view.id,
    studyId: request.to,
    label: label as string,
    by: request.by.trim(),
    at: ports.clock.now().toISOString(),
    reason: request.reason.trim(),
  });
}

/** Records whether an included study's data are usable, overriding any earlier judgement (the published review's). */
export async function judgeStudyData(
  request: StudyChange & { studyId: string; usable: boolean },
  ports: StudyPorts,
): Promise<StudyEvent> {
  checkChange(request);
  const evidence = await loadEvidence(ports.review, ports.store, ports.clock);
  const unit = findUnit(evidence, request.studyId);
  if (unit.status !== 'included')
    throw new InputError(`${unit.label} is not included (${unit.status}); judge its data once it is`);
  return record(ports, {
    action: 'judge-data',
    studyId: unit.id,
    usable: request.usable,
    by: request.by.trim(),
    at: ports.clock.now().toISOString(),
    reason: request.reason.trim(),
  });
}

/** A study with its reports and every recorded change that concerns it, oldest first. */
export async function studyHistory(studyId: string, ports: StudyPorts) {
  return historyIn(await loadEvidence(ports.review, ports.store, ports.clock), studyId);
}

/** `studyHistory` on evidence already loaded. */
export function historyIn(evidence: Evidence, studyId: string) {
  const unit = findUnit(evidence, studyId);
  const reports = evidence.snapshot.records.filter((view) => unit.reports.includes(view.id));
  const events = evidence.events.filter(
    (event) =>
      event.studyId === unit.id ||
      (event.action === 'merge' && event.into === unit.id) ||
      (event.action === 'assign' && unit.reports.includes(event.recordId)),
  );
  const decisions = reports
    .flatMap((view) => view.decisions)
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
  return { unit, reports, events, decisions };
}
