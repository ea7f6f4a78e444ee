/**
 * The extraction model: included studies with the characteristics their review declares, their risk of bias, and
 * outcome data per study x outcome x timepoint x arm (or per comparison, where a source gives only the effect).
 * Plain data only; parsing and rules live beside it. `null` always means "the source does not say", never a default.
 */

/** tau = treatment (care) as usual; other = another inactive control (Metapsy "other", placebo). */
export type ControlType = 'tau' | 'wait-list' | 'active' | 'other';

export type DeliveryFormat = 'group' | 'individual' | 'mixed';

export type RobRating = 'low' | 'high' | 'unclear';

/** Cochrane RoB 1 domains, as the 2021 review assessed them. */
export const ROB1_DOMAINS = [
  'randomSequenceGeneration',
  'allocationConcealment',
  'blindingOfParticipantsAndPersonnel',
  'blindingOfOutcomeAssessment',
  'incompleteOutcomeData',
  'selectiveReporting',
  'otherBias',
] as const;
export type Rob1Domain = (typeof ROB1_DOMAINS)[number];

export interface Rob1Judgement {
  rating: RobRating;
  /** Where the rating comes from (a quoted phrase of the source, or "the source says nothing"). */
  basis: string;
}

export type Rob2Rating = 'low' | 'some concerns' | 'high';
/** A study-level summary of result-level RoB 2 ratings; "varies by result" when its results were rated apart. */
export type Rob2StudyRating = Rob2Rating | 'varies by result';

export const ROB2_DOMAINS = [
  'randomisationProcess',
  'deviationsFromIntendedInterventions',
  'missingOutcomeData',
  'measurementOfTheOutcome',
  'selectionOfTheReportedResult',
] as const;
export type Rob2Domain = (typeof ROB2_DOMAINS)[number];

export interface Rob2Assessment<R = Rob2Rating> {
  domains: Record<Rob2Domain, R>;
  overall: R;
}

/** What a reviewer wrote with a RoB 2 assessment: the support for each domain, and why the overall judgement
 * departs from the RoB 2 algorithm's suggestion when it does. */
export interface Rob2Notes {
  support: Partial<Record<Rob2Domain, string>>;
  overallReason?: string;
}

export interface RiskOfBias {
  /** RoB 1 per domain, or null when the source did not assess with RoB 1. */
  rob1: Record<Rob1Domain, Rob1Judgement> | null;
  /** The overall RoB 1 rating; derived with `overallRob1` unless a source states it. */
  rob1Overall: RobRating | null;
  rob2: Rob2Assessment<Rob2StudyRating> | null;
  /** Given with a RoB 2 entered by the team (the workbench or the CSV); absent for a source's own ratings. */
  rob2Notes?: Rob2Notes;
}

export interface StudyCharacteristics {
  /**
   * The characteristics the review's file declares (e.g. "structured": "yes"), by id: each value is one of the
   * declared values, or null when the source does not say. Subgroup analyses split studies by these.
   */
  coded: Record<string, string | null>;
  /** Every comparator the study used; more than one for multi-arm trials. */
  comparators: ControlType[];
  country: string | null;
  nRandomised: number | null;
  format: DeliveryFormat | null;
}

export interface Provenance {
  /** "metapsy", "csv" or "baseline". */
  source: string;
  /** File name or document, e.g. "data.csv" or "Lyons et al. 2021, Table 1". */
  document: string;
  /** 1-based data row of the file (header excluded), when the value came from a file. */
  row?: number;
  /** Set when a study's characteristics and RoB 1 were taken from elsewhere, e.g. the review's own coding. */
  characteristics?: string;
}

export interface Study {
  /** Stable slug, e.g. "cook-2012a". */
  id: string;
  /** As the literature cites it, e.g. "Cook 2012a". */
  label: string;
  authors: string[];
  year: number | null;
  characteristics: StudyCharacteristics;
  /**
   * What the data say against the review's scope rule (e.g. its delivery format): a hint for the screeners of a
   * candidate, never a decision. Only an inclusion decision lets a study's data into a pool (`shared/studies/`).
   */
  inScope: boolean;
  scopeReason: string;
  riskOfBias: RiskOfBias;
  provenance: Provenance;
}

/** Timepoints as the review classed them: end of treatment, up to 1 year after it, beyond 1 year. */
export type TimepointClass = 'post' | 'short-term' | 'long-term';

export type ArmRole = 'intervention' | 'control';

interface OutcomeRowBase {
  /** Unique within a study: study, outcome, time and weeks, instrument and arm (or comparison). */
  id: string;
  studyId: string;
  /** The review outcome (e.g. "recovery"), or null when the configuration maps the source outcome to none. */
  outcome: string | null;
  /** The source's own outcome naming, e.g. "Personal recovery / Recovery - global". */
  sourceOutcome: string;
  instrument: string;
  timepoint: TimepointClass | null;
  /** The source's time label ("post", "fu") and weeks after randomisation, as given. */
  time: string;
  weeks: number | null;
  /** Whether a higher score is better on this instrument; used to align effects (positive = favours the intervention). */
  higherIsBetter: boolean | null;
  /** Result-level RoB 2 where the source rates results. */
  rob2: Rob2Assessment | null;
  provenance: Provenance;
}

/** One arm's mean, SD and N: what arm-level pooling consumes. */
export interface ArmOutcomeRow extends OutcomeRowBase {
  status: 'usable';
  outcome: string;
  timepoint: TimepointClass;
  higherIsBetter: boolean;
  arm: string;
  role: ArmRole;
  /** For control arms; null for intervention arms. */
  controlType: ControlType | null;
  mean: number;
  sd: number;
  n: number;
}

/** A result kept for the record but not poolable at arm level (precalculated g, change scores, events, gaps). */
export interface SetAsideOutcomeRow extends OutcomeRowBase {
  status: 'not usable';
  /** Starts with "not usable for arm-level pooling: ". */
  reason: string;
  /** e.g. "Peer support vs WL". */
  comparison: string;
  /** The numbers the source did report for this result, by source column. */
  reported: Record<string, number>;
}

/**
 * A comparison whose source gives its effect but not the arms' means and SDs (a precalculated Hedges' g from
 * change scores, events or test statistics). Arm-level analyses set it aside like any other such row (`reason`);
 * a plan that pools precalculated effects uses `yi` and `sei` as given.
 */
export interface EffectOutcomeRow extends Omit<SetAsideOutcomeRow, 'status'> {
  status: 'effect';
  outcome: string;
  timepoint: TimepointClass;
  higherIsBetter: boolean;
  /** The standardised mean difference (Hedges' g), signed so that positive favours the intervention. */
  yi: number;
  sei: number;
  /** Participants in the comparison, when the source gives them. */
  n: number | null;
  controlType: ControlType | null;
  /** Where the effect comes from, e.g. "the file's .g and .g_se (metapsyTools)". */
  basis: string;
}

export type OutcomeRow = ArmOutcomeRow | SetAsideOutcomeRow | EffectOutcomeRow;

export const NOT_USABLE_PREFIX = 'not usable for arm-level pooling: ';

export function isArmRow(row: OutcomeRow): row is ArmOutcomeRow {
  return row.status === 'usable';
}

export function isEffectRow(row: OutcomeRow): row is EffectOutcomeRow {
  return row.status === 'effect';
}

const TRAILING_YEAR = /(\d{4})[a-z]?$/;
const SEPARATOR = /[\s,]/;

/**
 * "Cook 2012a" → first author "Cook" and year 2012; a label without a trailing year gives the whole label.
 * Found with a loop rather than /^(.*?)[\s,]+(\d{4})[a-z]?$/, which retries the separator run from every
 * character before it: quadratic in a label with a long run of spaces.
 */
export function citationParts(label: string): { author: string; year: number | null } {
  const trimmed = label.trim();
  const year = TRAILING_YEAR.exec(trimmed);
  let end = year?.index ?? 0;
  if (year === null || !SEPARATOR.test(trimmed.charAt(end - 1))) return { author: trimmed, year: null };
  while (end > 0 && SEPARATOR.test(trimmed.charAt(end - 1))) end--;
  return end > 0 ? { author: trimmed.slice(0, end), year: Number(year[1]) } : { author: trimmed, year: null };
}

/** "Cook, 2012a" or "Rüsch 2014" → "cook-2012a" / "rusch-2014". */
export function studyIdFor(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** What one import file yields, validated in full before anything is stored. */
export interface ExtractionBatch {
  studies: Study[];
  rows: OutcomeRow[];
  /** Things the reader noticed but did not refuse (an unknown comparator code, a direction disagreement). */
  warnings: string[];
  /** Columns of the file the reader does not use. */
  ignoredColumns: string[];
}
