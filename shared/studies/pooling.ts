/**
 * Which studies' data may be pooled, and why each included study that is not in a pool is not. The one rule:
 * only included studies are pooled; a retracted one leaves the pool (or stays flagged, as the plan says); a study
 * judged to have no usable data stays out until a recorded decision says otherwise.
 */
import { isArmRow, type OutcomeRow, type Study, type TimepointClass } from '#shared/extraction/model.ts';
import type { StudyUnit } from './units.ts';

export type RetractionPolicy = 'exclude' | 'flag';

export interface PoolingScope {
  /** The extraction studies to pool, labelled as their study unit is cited. */
  studies: Study[];
  /** Extraction study id → note every analysis using it carries (a retracted study kept with a flag). */
  flags: Record<string, string>;
  /** Included studies whose data are kept out of every pool, with why. */
  heldOut: { study: string; studyId: string; reason: string }[];
}

export function poolingScope(
  units: readonly StudyUnit[],
  dataStudies: readonly Study[],
  policy: RetractionPolicy,
): PoolingScope {
  const byId = new Map(dataStudies.map((study) => [study.id, study]));
  const scope: PoolingScope = { studies: [], flags: {}, heldOut: [] };
  for (const unit of units) {
    if (unit.status !== 'included') continue;
    const retracted = unit.retractedReports.length > 0;
    const holdOut = (reason: string) => scope.heldOut.push({ study: unit.label, studyId: unit.id, reason });
    if (retracted && policy === 'exclude') {
      holdOut(`retracted (${unit.retractedReports.join(', ')}): removed from every analysis`);
      continue;
    }
    if (unit.dataJudgement && !unit.dataJudgement.usable) {
      holdOut(`no usable data, as ${unit.dataJudgement.by} judged: ${unit.dataJudgement.basis}`);
      continue;
    }
    for (const id of unit.dataStudyIds) {
      const study = byId.get(id);
      if (!study) continue;
      scope.studies.push({ ...study, label: unit.label });
      if (retracted)
        scope.flags[id] = `${unit.label}: a report is retracted; kept in the analysis with this flag`;
    }
  }
  return scope;
}

/** Why an included study is missing from one outcome's analysis at one timepoint; `own` are the study's rows. */
export function whyNotPooled(
  unit: StudyUnit,
  scope: PoolingScope,
  own: readonly OutcomeRow[],
  outcome: string,
  timepoint: TimepointClass,
): string {
  const heldOut = scope.heldOut.find((entry) => entry.studyId === unit.id);
  if (heldOut) return heldOut.reason;
  if (own.length === 0) return 'included, awaiting data';
  const forOutcome = own.filter((row) => row.outcome?.trim().toLowerCase() === outcome.trim().toLowerCase());
  if (forOutcome.length === 0) return 'outcome not measured';
  const atTime = forOutcome.filter((row) => row.timepoint === timepoint);
  if (atTime.length === 0) return 'not measured at this timepoint';
  const setAside = atTime.find((row) => !isArmRow(row));
  if (setAside && !isArmRow(setAside)) return setAside.reason;
  return 'no comparison of an intervention arm with a control arm';
}
