/**
 * An analysis plan as data: which outcomes and timepoints, how the main and robustness analyses pool, which
 * sensitivity analyses and subgroups to run. A review's configuration supplies one; `runPlan` carries it out.
 */
import type { ControlType, RobRating, Study, TimepointClass } from '#shared/extraction/model.ts';
import type { RetractionPolicy } from '#shared/studies/pooling.ts';
import type { Profile } from './pool-report.ts';
import type { ReportingRules } from './reporting.ts';
import type { Tau2Method, TestType } from './rma.ts';

export interface PoolingSpec {
  profile: Profile;
  method: Tau2Method;
  test: TestType;
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

/** A subgroup analysis splits studies by a yes/no characteristic; studies where it is unknown are left out. */
export interface SubgroupSpec {
  name: string;
  description: string;
  characteristic: 'severeMentalHealthConditions' | 'structured';
  labels: { yes: string; no: string };
}

export interface AnalysisPlan {
  timepoints: TimepointClass[];
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
