/**
 * An analysis plan as data: which outcomes and timepoints, how the main and robustness analyses pool, which
 * sensitivity analyses and subgroups to run. A review's configuration supplies one; `runPlan` carries it out.
 */
import type { ControlType, RobRating, Study, TimepointClass } from '#shared/extraction/model.ts';
import type { RetractionPolicy } from '#shared/studies/pooling.ts';
import type { SmdVariance } from './effect-sizes.ts';
import type { Profile } from './pool-report.ts';
import type { ReportingRules } from './reporting.ts';
import type { Tau2Method, TestType } from './rma.ts';

export interface PoolingSpec {
  profile: Profile;
  method: Tau2Method;
  test: TestType;
  /** The SMD's variance under the metafor profile (escalc's vtype); LS, metafor's default, unless given. */
  smdVariance?: SmdVariance;
}

/** A sensitivity analysis keeps some studies, or some control arms, of each main analysis. */
export interface SensitivitySpec {
  name: string;
  description: string;
  /** Keep only studies whose overall risk of bias is one of these (RoB 1 overall, else RoB 2 overall). */
  overallRiskOfBias?: RobRating[];
  /** Keep only control arms of these types; a study left without one drops out. */
  controlTypes?: ControlType[];
}

/** A subgroup analysis splits studies by one of the review's declared characteristics; unknowns are left out. */
export interface SubgroupSpec {
  name: string;
  description: string;
  /** The id of a characteristic the review declares. */
  characteristic: string;
  /** The characteristic's values and their labels, in the review's order (filled in from its declaration). */
  levels: { value: string; label: string }[];
}

/**
 * What counts as one comparison in an analysis: one per study (its instruments ranked, the one with most
 * participants used: the 2021 review), or one per instrument a study reports for the outcome (a source that
 * already chose one result per comparison, e.g. Metapsy's rows after Smit et al. 2023's decision tool).
 */
export type ComparisonUnit = 'study' | 'instrument';

export interface AnalysisPlan {
  /** The outcomes analysed, in the order the review reports them; every outcome that has data when absent. */
  outcomes?: string[];
  timepoints: TimepointClass[];
  comparisonUnit: ComparisonUnit;
  /** Pool a source's precalculated effects (Hedges' g and SE) where it gives no arm-level means and SDs. */
  poolPrecalculatedEffects: boolean;
  main: PoolingSpec;
  /** A second look with another estimator, e.g. REML with Hartung-Knapp and a prediction interval. */
  robustness: PoolingSpec;
  sensitivity: SensitivitySpec[];
  subgroups: SubgroupSpec[];
  reporting: ReportingRules;
  /** What a retraction of an included report does: remove the study from every analysis, or keep it flagged. */
  retractedStudies: RetractionPolicy;
}

/** The study's overall risk of bias: RoB 1 when assessed, otherwise a RoB 2 overall mapped onto low/high/unclear. */
export function overallRiskOfBias(study: Study): RobRating | null {
  if (study.riskOfBias.rob1Overall) return study.riskOfBias.rob1Overall;
  const rob2 = study.riskOfBias.rob2?.overall;
  if (rob2 === 'low' || rob2 === 'high') return rob2;
  if (rob2 === 'some concerns') return 'unclear';
  return null;
}
