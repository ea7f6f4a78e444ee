/**
 * Runs an analysis plan over the included studies' outcome data: for each outcome and timepoint, one comparison
 * per study or per instrument as the plan says (control arms combined as the Cochrane Handbook says), aligned so
 * that positive favours the intervention, then the main, robustness, sensitivity and subgroup analyses. Pure and deterministic: the same studies,
 * rows and plan give the same analyses and the same hash.
 */
import type {
  ArmOutcomeRow,
  ControlType,
  EffectOutcomeRow,
  OutcomeRow,
  Study,
  TimepointClass,
} from '#shared/extraction/model.ts';
import { isArmRow, isEffectRow } from '#shared/extraction/model.ts';
import { contentHash } from '#shared/text/content-hash.ts';
import { normalQuantileOf } from './distributions.ts';
import { type Arm, combineArms } from './effect-sizes.ts';
import {
  type AnalysisPlan,
  overallRiskOfBias,
  type PoolingSpec,
  type SensitivitySpec,
  type SubgroupSpec,
} from './plan.ts';
import { pool, type StudyEffect } from './pool.ts';
import { effectFor } from './pool-report.ts';
import { canPool, evidenceLabel, heterogeneityLabel, magnitudeLabel } from './reporting.ts';
import type { EggerTest, TrimFill } from './small-study.ts';
import { subgroupAnalysis } from './subgroups.ts';

/** One study's contribution to one outcome at one timepoint. */
export interface Comparison {
  studyId: string;
  study: string;
  instrument: string;
  higherIsBetter: boolean;
  /** The arms, or null when the source gave only the effect (`given`). */
  intervention: Arm | null;
  control: Arm | null;
  /** A precalculated effect (Hedges' g, aligned to favour the intervention) and its variance, with its N. */
  given: { yi: number; vi: number; n: number; basis: string } | null;
  /** The control arms combined into `control`, e.g. ["TAU", "Clinician-led group"]. */
  controlArms: string[];
  notes: string[];
}

export interface AnalysedStudy {
  studyId: string;
  study: string;
  instrument: string;
  n: number;
  yi: number;
  vi: number;
  ci: [number, number];
  /** Percentage weight; null when the analysis is not pooled. */
  weight: number | null;
  /**
   * The arms the effect was computed from, as reported (not flipped); several control arms combined into one.
   * Null when the source gave the effect itself (a precalculated g).
   */
  intervention: Arm | null;
  control: Arm | null;
  /** False when lower scores are better on the study's scale, so `yi` has the opposite sign of the mean difference. */
  higherIsBetter: boolean;
  /** Set when the source gave the effect itself (no arms): where it comes from. */
  effectGiven?: string;
  /** Which of the study's comparisons this is (its instrument), when the study contributes more than one. */
  comparison?: string;
}

export interface SubgroupSummary {
  subgroup: string;
  k: number;
  n: number;
  estimate: number;
  ci: [number, number];
  p: number;
  I2_Q: number;
  tau2: number;
}

export interface AnalysisEntry {
  outcome: string;
  timepoint: TimepointClass;
  /** "main", "robustness", "sensitivity:<name>" or "subgroup:<name>". */
  analysis: string;
  measure: 'SMD' | 'MD';
  method: PoolingSpec['method'];
  test: PoolingSpec['test'];
  k: number;
  n: number;
  /** False below the review's minimum number of trials: the studies are then reported one by one. */
  pooled: boolean;
  estimate: number | null;
  se: number | null;
  ci: [number, number] | null;
  pi: [number, number] | null;
  p: number | null;
  evidence: string | null;
  magnitude: string | null;
  I2: number | null;
  I2_Q: number | null;
  Q: number | null;
  Q_df: number | null;
  Q_p: number | null;
  tau2: number | null;
  /** The review's words when its rule calls this heterogeneity substantial; null otherwise or when not pooled. */
  heterogeneity: string | null;
  studies: AnalysedStudy[];
  subgroups?: SubgroupSummary[];
  subgroupTest?: { Q: number; df: number; p: number; I2: number };
  egger?: EggerTest;
  trimfill?: TrimFill;
  /** Main analyses: the included studies that are not in this pool, and why (filled by the reanalysis). */
  notPooled?: { study: string; reason: string }[];
  notes: string[];
}

export interface PlanResult {
  /** SHA-256 of the plan and its inputs: equal hashes, equal analyses. */
  hash: string;
  analyses: AnalysisEntry[];
}

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

type PoolableRow = ArmOutcomeRow | EffectOutcomeRow;

/** Within a study: the latest short- or long-term follow-up (nearest to, not beyond, the class's limit), the earliest post. */
function chooseTime(rows: PoolableRow[], timepoint: TimepointClass): PoolableRow[] {
  const weeks = (row: PoolableRow) => row.weeks ?? 0;
  const pick = timepoint === 'post' ? Math.min(...rows.map(weeks)) : Math.max(...rows.map(weeks));
  return rows.filter((row) => weeks(row) === pick);
}

const participants = (row: PoolableRow) => row.n ?? 0;

/** Instruments by participants, most first, ties by name, so the choice is stable. */
function rankInstruments(rows: PoolableRow[]): string[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.instrument, (totals.get(row.instrument) ?? 0) + participants(row));
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}

function toArm(rows: ArmOutcomeRow[]): Arm {
  return combineArms(rows.map((row) => ({ mean: row.mean, sd: row.sd, n: row.n })));
}

const keepsControl = (controlType: ControlType | null, spec?: SensitivitySpec) =>
  !spec?.controlTypes || (controlType !== null && spec.controlTypes.includes(controlType));

/** One instrument's rows of one study: its arms combined, or its precalculated effect. */
function comparisonOf(
  study: Study,
  instrument: string,
  rows: PoolableRow[],
  sensitivity: SensitivitySpec | undefined,
): Comparison | null {
  const arms = rows.filter(isArmRow);
  const base = { studyId: study.id, study: study.label, instrument };
  if (arms.length > 0) {
    const intervention = arms.filter((row) => row.role === 'intervention');
    const controls = arms.filter(
      (row) => row.role === 'control' && keepsControl(row.controlType, sensitivity),
    );
    if (intervention.length === 0 || controls.length === 0) return null;
    const notes =
      controls.length > 1
        ? [
            `${study.label}: control arms ${controls.map((c) => c.arm).join(' and ')} combined (Cochrane Handbook 6.5.2.10)`,
          ]
        : [];
    return {
      ...base,
      higherIsBetter: (intervention[0] as ArmOutcomeRow).higherIsBetter,
      intervention: toArm(intervention),
      control: toArm(controls),
      given: null,
      controlArms: controls.map((c) => c.arm),
      notes,
    };
  }
  const effects = rows.filter(isEffectRow).filter((row) => keepsControl(row.controlType, sensitivity));
  const [effect, ...others] = effects;
  if (!effect) return null;
  const notes = [`${study.label}: ${effect.comparison}, effect as the source gives it (${effect.basis})`];
  if (others.length > 0) {
    notes.push(
      `${study.label}: ${others.map((row) => row.comparison).join(', ')} on ${instrument} not used: precalculated effects of one instrument cannot be combined`,
    );
  }
  return {
    ...base,
    higherIsBetter: effect.higherIsBetter,
    intervention: null,
    control: null,
    given: { yi: effect.yi, vi: effect.sei ** 2, n: effect.n ?? 0, basis: effect.basis },
    controlArms: [effect.comparison.replace(/^.* vs /, '')],
    notes,
  };
}

/** What `comparisonsFor` needs of the plan: the comparison unit and whether precalculated effects pool. */
export type ComparisonRules = Pick<AnalysisPlan, 'comparisonUnit' | 'poolPrecalculatedEffects'>;

const ONE_PER_STUDY: ComparisonRules = { comparisonUnit: 'study', poolPrecalculatedEffects: false };

export function comparisonsFor(
  studies: readonly Study[],
  rows: readonly OutcomeRow[],
  outcome: string,
  timepoint: TimepointClass,
  sensitivity?: SensitivitySpec,
  rules: ComparisonRules = ONE_PER_STUDY,
): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const study of studies) {
    const candidates = rows.filter(
      (row): row is PoolableRow =>
        (isArmRow(row) || (rules.poolPrecalculatedEffects && isEffectRow(row))) &&
        row.studyId === study.id &&
        sameText(row.outcome, outcome) &&
        row.timepoint === timepoint,
    );
    if (candidates.length === 0) continue;
    const atTime = chooseTime(candidates, timepoint);
    const [first, ...others] = rankInstruments(atTime);
    const instruments = rules.comparisonUnit === 'instrument' ? [first, ...others] : [first];
    for (const instrument of instruments) {
      const comparison = comparisonOf(
        study,
        instrument as string,
        atTime.filter((row) => row.instrument === instrument),
        sensitivity,
      );
      if (!comparison) continue;
      if (rules.comparisonUnit === 'study' && others.length > 0) {
        comparison.notes.unshift(`${study.label}: ${instrument} used; also reported on ${others.join(', ')}`);
      }
      comparisons.push(comparison);
    }
  }
  return comparisons.sort(
    (a, b) => a.study.localeCompare(b.study) || a.instrument.localeCompare(b.instrument),
  );
}

interface Effects {
  measure: 'SMD' | 'MD';
  effects: (StudyEffect &
    Pick<
      AnalysedStudy,
      'studyId' | 'instrument' | 'n' | 'intervention' | 'control' | 'higherIsBetter' | 'effectGiven'
    >)[];
}

function effectsOf(comparisons: readonly Comparison[], spec: PoolingSpec): Effects {
  const first = comparisons[0]?.instrument ?? '';
  const measure =
    comparisons.every((c) => c.given === null) && comparisons.every((c) => sameText(c.instrument, first))
      ? 'MD'
      : 'SMD';
  const effects = comparisons.map((c) => {
    const common = {
      study: c.study,
      studyId: c.studyId,
      instrument: c.instrument,
      intervention: c.intervention,
      control: c.control,
      higherIsBetter: c.higherIsBetter,
    };
    if (c.given || !c.intervention || !c.control) {
      const given = c.given ?? { yi: Number.NaN, vi: Number.NaN, n: 0, basis: 'no effect recorded' };
      return { ...common, n: given.n, yi: given.yi, vi: given.vi, effectGiven: given.basis };
    }
    const effect = effectFor(
      measure,
      spec.profile,
      {
        m1i: c.intervention.mean,
        sd1i: c.intervention.sd,
        n1i: c.intervention.n,
        m2i: c.control.mean,
        sd2i: c.control.sd,
        n2i: c.control.n,
      },
      spec.smdVariance,
    );
    // Positive always favours the intervention: flip scales on which lower is better.
    const yi = c.higherIsBetter ? effect.yi : -effect.yi;
    return { ...common, n: c.intervention.n + c.control.n, yi, vi: effect.vi };
  });
  return { measure, effects };
}

const Z975 = normalQuantileOf(0.975);

function analyse(
  outcome: string,
  timepoint: TimepointClass,
  analysis: string,
  comparisons: readonly Comparison[],
  spec: PoolingSpec,
  plan: AnalysisPlan,
): AnalysisEntry {
  const { measure, effects } = effectsOf(comparisons, spec);
  const k = effects.length;
  const pooled = canPool(k, plan.reporting);
  const result = pooled ? pool(effects, { method: spec.method, test: spec.test }) : null;
  const perStudy = new Map<string, number>();
  for (const e of effects) perStudy.set(e.studyId, (perStudy.get(e.studyId) ?? 0) + 1);
  const studies: AnalysedStudy[] = effects.map((e, i) => ({
    studyId: e.studyId,
    study: e.study,
    instrument: e.instrument,
    n: e.n,
    yi: e.yi,
    vi: e.vi,
    ci: [e.yi - Z975 * Math.sqrt(e.vi), e.yi + Z975 * Math.sqrt(e.vi)],
    weight: result ? (result.studies[i]?.weight ?? null) : null,
    intervention: e.intervention,
    control: e.control,
    higherIsBetter: e.higherIsBetter,
    ...(e.effectGiven ? { effectGiven: e.effectGiven } : {}),
    ...((perStudy.get(e.studyId) ?? 0) > 1 ? { comparison: e.instrument } : {}),
  }));
  const entry: AnalysisEntry = {
    outcome,
    timepoint,
    analysis,
    measure,
    method: spec.method,
    test: spec.test,
    k,
    n: effects.reduce((sum, e) => sum + e.n, 0),
    pooled,
    estimate: result?.estimate ?? null,
    se: result?.se ?? null,
    ci: result?.ci ?? null,
    pi: result?.pi ?? null,
    p: result?.p ?? null,
    evidence: result ? evidenceLabel(result.p, plan.reporting) : null,
    magnitude: result ? magnitudeLabel(result.estimate, measure, plan.reporting) : null,
    I2: result?.I2 ?? null,
    I2_Q: result?.I2_Q ?? null,
    Q: result?.Q ?? null,
    Q_df: result?.Q_df ?? null,
    Q_p: result?.Q_p ?? null,
    tau2: result?.tau2 ?? null,
    heterogeneity: result ? heterogeneityLabel(result.I2_Q, plan.reporting) : null,
    studies,
    notes: [...new Set(comparisons.flatMap((c) => c.notes))],
  };
  if (!pooled) {
    entry.notes.push(
      `${k} trial${k === 1 ? '' : 's'} with usable data: fewer than ${plan.reporting.minimumTrialsToPool}, so not pooled`,
    );
  }
  if (result && k >= plan.reporting.minimumTrialsForSmallStudyTests) {
    if (result.egger_classical) entry.egger = result.egger_classical;
    if (result.trimfill) entry.trimfill = result.trimfill;
  }
  if (result) entry.notes.push(...result.warnings);
  return entry;
}

function subgroupEntry(
  outcome: string,
  timepoint: TimepointClass,
  comparisons: readonly Comparison[],
  studies: readonly Study[],
  spec: SubgroupSpec,
  plan: AnalysisPlan,
): AnalysisEntry {
  const labelOf = (studyId: string) => {
    const value = studies.find((s) => s.id === studyId)?.characteristics.coded[spec.characteristic] ?? null;
    return value === null ? null : (spec.levels.find((level) => level.value === value)?.label ?? value);
  };
  const minimum = plan.reporting.minimumTrialsPerSubgroup ?? 1;
  const sizes = new Map<string, number>();
  for (const c of comparisons) {
    const label = labelOf(c.studyId);
    if (label !== null) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  }
  const tooSmall = [...sizes].filter(([, size]) => size < minimum).map(([label]) => label);
  const known = comparisons.filter((c) => {
    const label = labelOf(c.studyId);
    return label !== null && !tooSmall.includes(label);
  });
  const entry = analyse(outcome, timepoint, `subgroup:${spec.name}`, known, plan.main, plan);
  const unknown = comparisons.filter((c) => labelOf(c.studyId) === null).map((c) => c.study);
  if (unknown.length > 0)
    entry.notes.push(`left out, ${spec.characteristic} not reported: ${unknown.join(', ')}`);
  if (tooSmall.length > 0)
    entry.notes.push(
      `left out, fewer than ${minimum} trials in the subgroup: ${tooSmall.map((label) => `${label} (${sizes.get(label)})`).join(', ')}`,
    );
  const levels = new Set(known.map((c) => labelOf(c.studyId)));
  if (!entry.pooled) return entry;
  if (levels.size < 2) {
    entry.notes.push(`not possible: every trial is in one subgroup (${[...levels].join('')})`);
    return entry;
  }
  const { effects } = effectsOf(known, plan.main);
  const labelled = effects.map((e, i) => ({
    ...e,
    subgroup: labelOf((known[i] as Comparison).studyId) as string,
  }));
  const analysis = subgroupAnalysis(labelled, plan.main);
  entry.subgroups = analysis.groups.map(({ subgroup, result }) => ({
    subgroup,
    k: result.k,
    n: labelled.filter((e) => e.subgroup === subgroup).reduce((sum, e) => sum + e.n, 0),
    estimate: result.estimate,
    ci: result.ci,
    p: result.p,
    I2_Q: result.I2_Q,
    tau2: result.tau2,
  }));
  entry.subgroupTest = analysis.revman;
  return entry;
}

function sensitivityStudies(studies: readonly Study[], spec: SensitivitySpec): Study[] {
  const allowed = spec.overallRiskOfBias;
  if (!allowed) return [...studies];
  return studies.filter((study) => {
    const rating = overallRiskOfBias(study);
    return rating !== null && allowed.includes(rating);
  });
}

/** A fixed set of studies analysed again on its own, e.g. the published review's trials beside its own table. */
export interface StudySetAnalysis {
  name: string;
  description: string;
  studyIds: readonly string[];
}

export interface PlanOptions {
  /** Outcomes in the order the review reports them; others follow by name. */
  outcomeOrder?: readonly string[];
  studySets?: readonly StudySetAnalysis[];
  /** Notes every analysis using a study carries, by study id (e.g. a retracted study kept with a flag). */
  studyNotes?: Readonly<Record<string, string>>;
}

/**
 * Runs the plan over the studies given: the caller decides which studies may be pooled (only included ones), so
 * nothing here includes or excludes a study.
 */
export function runPlan(
  plan: AnalysisPlan,
  studies: readonly Study[],
  rows: readonly OutcomeRow[],
  { outcomeOrder = [], studySets = [], studyNotes = {} }: PlanOptions = {},
): PlanResult {
  const sortedStudies = [...studies].sort((a, b) => a.id.localeCompare(b.id));
  const sortedRows = [...rows].sort((a, b) => a.id.localeCompare(b.id));
  const hash = contentHash({ plan, studies: sortedStudies, rows: sortedRows, studySets, studyNotes });

  const poolable = sortedRows.filter(
    (row) => isArmRow(row) || (plan.poolPrecalculatedEffects && isEffectRow(row)),
  ) as PoolableRow[];
  const present = [...new Set(poolable.map((row) => row.outcome))].filter(
    (outcome) => !plan.outcomes || plan.outcomes.some((wanted) => sameText(wanted, outcome)),
  );
  const rank = (outcome: string) => {
    const index = outcomeOrder.findIndex((o) => sameText(o, outcome));
    return index === -1 ? outcomeOrder.length : index;
  };
  const outcomes = present.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

  const analyses: AnalysisEntry[] = [];
  for (const timepoint of plan.timepoints) {
    for (const outcome of outcomes) {
      const comparisons = comparisonsFor(sortedStudies, sortedRows, outcome, timepoint, undefined, plan).map(
        (c) => (studyNotes[c.studyId] ? { ...c, notes: [...c.notes, studyNotes[c.studyId] as string] } : c),
      );
      if (comparisons.length === 0) continue;
      const main = analyse(outcome, timepoint, 'main', comparisons, plan.main, plan);
      analyses.push(main);
      for (const set of studySets) {
        const kept = comparisons.filter((c) => set.studyIds.includes(c.studyId));
        if (kept.length === 0) continue;
        const entry = analyse(outcome, timepoint, `studies:${set.name}`, kept, plan.main, plan);
        entry.notes.unshift(set.description);
        analyses.push(entry);
      }
      if (!main.pooled) continue;
      analyses.push(analyse(outcome, timepoint, 'robustness', comparisons, plan.robustness, plan));
      for (const spec of plan.sensitivity) {
        const kept = comparisonsFor(
          sensitivityStudies(sortedStudies, spec),
          sortedRows,
          outcome,
          timepoint,
          spec,
          plan,
        );
        const entry = analyse(outcome, timepoint, `sensitivity:${spec.name}`, kept, plan.main, plan);
        entry.notes.unshift(spec.description);
        analyses.push(entry);
      }
      for (const spec of plan.subgroups) {
        analyses.push(subgroupEntry(outcome, timepoint, comparisons, sortedStudies, spec, plan));
      }
    }
  }
  return { hash, analyses };
}
