import {
  type ControlType,
  citationParts,
  type InterventionCategory,
  type Rob1Domain,
  type Rob1Judgement,
  type RobRating,
  type Study,
  studyIdFor,
} from '#shared/extraction/model.ts';
import type { BaselineTrial, PublishedResult } from '../baseline.ts';

export type { BaselineTrial, PublishedResult };

/**
 * The baseline register: the eight trials Lyons, Cooper & Lloyd-Evans 2021 included, with their Table 1
 * characteristics, risk of bias as the Results text describes it, and the published pooled results
 * of Table 2. Every value is copied from that article; the quoted phrase or table cell beside it says where.
 * Bracketed numbers are the article's reference numbers (a trial can have several articles: Cook 2012a is
 * [53–55]). Outcome data come only from real sources: the Metapsy peer-support database covers five trials.
 */
const ARTICLE = 'Lyons, Cooper & Lloyd-Evans 2021';
const ROB_SECTION = 'Results, "Risk of bias assessment"';
const CHARACTERISTICS_SECTION = 'Results, "Characteristics of interventions"';
const PARTICIPANTS_SECTION = 'Results, "Participant characteristics"';

const stated = (section: string, quote: string) => `stated: ${section}: "${quote}"`;
/** Fig. 1 (the per-domain chart) is an image the text does not reproduce, so silence is recorded, not filled. */
const UNSTATED =
  'unstated: the text does not rate this domain for this trial (Fig. 1, the per-domain chart, is not in the text)';

const QUOTES = {
  allLow:
    'Only two studies [52, 53] had low overall risk of bias, due to having low risk for all individual domains of bias',
  attritionUnclear56: 'One study [56] had unclear risk of attrition bias',
  attritionHigh60: 'A further study [60] had high risk of attrition bias',
  reportingHigh61: 'One study [61] had high risk of reporting bias',
  reportingUnclear: 'three studies received unclear ratings as the protocol was not available [59, 60, 62]',
  selectionUnclear:
    'Three studies did not report details of allocation concealment [59, 60, 62] and two studies did not report details of random sequence generation [58, 60], so were rated as unclear in these domains',
  detectionLow:
    'Three studies blinded outcome assessors [52, 53, 56] and for one study [59], participants returned outcomes online so these had low risk for detection bias',
  detectionUnclear:
    'Four studies did not report details of blinding procedures for outcome assessments so were rated as unclear',
  performanceLow53and56: 'these two studies were judged to have low risk of performance bias',
  performanceLow52: 'so the risk of performance bias was judged to be low',
  performanceUnclear:
    'The remaining five studies did not provide any information on blinding procedures so were rated as unclear risk for performance bias [58–62]',
  overallHigh:
    'Since one study [60] had high risk of attrition bias and one study had high risk of reporting bias [61], these both had high overall risk of bias',
  overallUnclear:
    'The remaining four studies had unclear overall risk of bias, due to having unclear risk of selection bias [58, 59, 62], attrition bias [56] or reporting bias [59, 62]',
} as const;

/** Where the text rates trials by elimination ("the remaining ..."), the trials it means. */
const NOTES: Partial<Record<keyof typeof QUOTES, string>> = {
  detectionUnclear:
    ' (the four not named as low for detection, [52, 53, 56] and [59], are [58], [60], [61], [62])',
};

type DomainSpec = [RobRating, keyof typeof QUOTES] | 'unstated';

function rob1(domains: Record<Rob1Domain, DomainSpec>): Record<Rob1Domain, Rob1Judgement> {
  return Object.fromEntries(
    Object.entries(domains).map(([domain, spec]) => [
      domain,
      spec === 'unstated'
        ? { rating: 'unclear', basis: UNSTATED }
        : { rating: spec[0], basis: `${stated(ROB_SECTION, QUOTES[spec[1]])}${NOTES[spec[1]] ?? ''}` },
    ]),
  ) as Record<Rob1Domain, Rob1Judgement>;
}

const allLow: DomainSpec = ['low', 'allLow'];
const performanceUnclear: DomainSpec = ['unclear', 'performanceUnclear'];
const detectionUnclear: DomainSpec = ['unclear', 'detectionUnclear'];

const SEVERE =
  'only five of these trials met our criteria for comprising participants experiencing severe mental health conditions [52, 53, 56, 58, 62]';
const STRUCTURED = 'Seven trials used structured interventions, classified as peer support groups';

interface TrialSpec {
  label: string;
  refs: number[];
  citation: string;
  category: InterventionCategory;
  table1Category: string;
  structured: [boolean, string];
  comparators: [ControlType[], string];
  severe: boolean;
  country: string;
  table1Country: string;
  n: number;
  rob: Record<Rob1Domain, DomainSpec>;
  overall: [RobRating, keyof typeof QUOTES];
  metapsyLabels: string[];
  /** The Results text names the six trials that "provided usable data for meta-analyses"; the others did not. */
  usableData: boolean;
}

const USABLE_DATA =
  'Results, "Study outcomes and quantitative synthesis": "Six trials [52, 53, 56, 58, 61, 62] provided usable data for meta-analyses"';

function trial(spec: TrialSpec): BaselineTrial {
  const { author, year } = citationParts(spec.label);
  return {
    study: {
      id: studyIdFor(spec.label),
      label: spec.label,
      authors: [author],
      year,
      characteristics: {
        interventionCategory: spec.category,
        structured: spec.structured[0],
        comparators: spec.comparators[0],
        severeMentalHealthConditions: spec.severe,
        country: spec.country,
        nRandomised: spec.n,
        format: 'group',
      },
      inScope: true,
      scopeReason: `included by ${ARTICLE} (eligibility: group peer support interventions only)`,
      riskOfBias: { rob1: rob1(spec.rob), rob1Overall: spec.overall[0], rob2: null },
      provenance: { source: 'baseline', document: `${ARTICLE}, Table 1 and Results` },
    },
    refs: spec.refs,
    citation: spec.citation,
    sources: {
      interventionCategory: `Table 1, Intervention Category: "${spec.table1Category}"`,
      structured: stated(CHARACTERISTICS_SECTION, spec.structured[1]),
      comparators: stated(CHARACTERISTICS_SECTION, spec.comparators[1]),
      severeMentalHealthConditions: stated(PARTICIPANTS_SECTION, SEVERE),
      country: `Table 1, Country: "${spec.table1Country}"`,
      nRandomised: `Table 1, N (total number of participants randomised): "${spec.n}"`,
      rob1Overall: stated(ROB_SECTION, QUOTES[spec.overall[1]]),
    },
    metapsyLabels: spec.metapsyLabels,
    ...(spec.usableData
      ? {}
      : {
          dataJudgement: {
            usable: false,
            basis: `${USABLE_DATA}; ${spec.citation} is not among them`,
          },
        }),
  };
}

/**
 * Comparators as the text names them. For its "TAU only" sensitivity analyses the review dropped only active
 * comparators ("removing the study with an active comparator [52] and using only TAU data for the three-armed
 * trial [58]"), so wait-list controls stayed in; it even says the follow-up empowerment trials [57, 61, 62] "all
 * ... used a TAU control" though two of them used a WLC.
 */
const WLC_53_56 =
  'Two studies compared interventions to a Waiting List Control (WLC) [53, 56] and one study used both TAU and a clinician-led group of the intervention as control groups [58]';

export const BASELINE_TRIALS: BaselineTrial[] = [
  trial({
    label: 'Ben-Zeev 2018',
    refs: [52],
    citation: '[52]',
    category: 'peer support group: self-management',
    table1Category: 'Peer Support group: Self-management',
    structured: [true, STRUCTURED],
    comparators: [
      ['active'],
      'One study used WRAP as the control group to assess the comparative effectiveness of FOCUS',
    ],
    severe: true,
    country: 'USA',
    table1Country: 'USA',
    n: 163,
    rob: {
      randomSequenceGeneration: allLow,
      allocationConcealment: allLow,
      blindingOfParticipantsAndPersonnel: ['low', 'performanceLow52'],
      blindingOfOutcomeAssessment: ['low', 'detectionLow'],
      incompleteOutcomeData: allLow,
      selectiveReporting: allLow,
      otherBias: allLow,
    },
    overall: ['low', 'allLow'],
    usableData: true,
    metapsyLabels: [],
  }),
  trial({
    label: 'Cook 2012a',
    refs: [53, 54, 55],
    citation: '[53–55]',
    category: 'peer support group: self-management',
    table1Category: 'Peer Support group: Self-management',
    structured: [true, STRUCTURED],
    comparators: [['wait-list'], WLC_53_56],
    severe: true,
    country: 'USA',
    table1Country: 'USA',
    n: 555,
    rob: {
      randomSequenceGeneration: allLow,
      allocationConcealment: allLow,
      blindingOfParticipantsAndPersonnel: ['low', 'performanceLow53and56'],
      blindingOfOutcomeAssessment: ['low', 'detectionLow'],
      incompleteOutcomeData: allLow,
      selectiveReporting: allLow,
      otherBias: allLow,
    },
    overall: ['low', 'allLow'],
    usableData: true,
    metapsyLabels: ['Cook 2012a'],
  }),
  trial({
    label: 'Cook 2012b',
    refs: [56, 57],
    citation: '[56, 57]',
    category: 'peer support group: self-management',
    table1Category: 'Peer Support group: Self-management',
    structured: [true, STRUCTURED],
    comparators: [['wait-list'], WLC_53_56],
    severe: true,
    country: 'USA',
    table1Country: 'USA',
    n: 428,
    rob: {
      randomSequenceGeneration: 'unstated',
      allocationConcealment: 'unstated',
      blindingOfParticipantsAndPersonnel: ['low', 'performanceLow53and56'],
      blindingOfOutcomeAssessment: ['low', 'detectionLow'],
      incompleteOutcomeData: ['unclear', 'attritionUnclear56'],
      selectiveReporting: 'unstated',
      otherBias: 'unstated',
    },
    overall: ['unclear', 'overallUnclear'],
    usableData: true,
    metapsyLabels: ['Cook 2012b'],
  }),
  trial({
    label: 'Eisen 2012',
    refs: [58],
    citation: '[58]',
    category: 'peer support group: self-management',
    table1Category: 'Peer support group: Self-management',
    structured: [true, STRUCTURED],
    comparators: [['tau', 'active'], WLC_53_56],
    severe: true,
    country: 'USA',
    table1Country: 'USA',
    n: 298,
    rob: {
      randomSequenceGeneration: ['unclear', 'selectionUnclear'],
      allocationConcealment: 'unstated',
      blindingOfParticipantsAndPersonnel: performanceUnclear,
      blindingOfOutcomeAssessment: detectionUnclear,
      incompleteOutcomeData: 'unstated',
      selectiveReporting: 'unstated',
      otherBias: 'unstated',
    },
    overall: ['unclear', 'overallUnclear'],
    usableData: true,
    metapsyLabels: [],
  }),
  trial({
    label: 'Kaplan 2011',
    refs: [59],
    citation: '[59]',
    category: 'mutual support',
    table1Category: 'Mutual support: online group',
    structured: [
      false,
      'Only one study [59] used an unstructured intervention and was classified as mutual support',
    ],
    comparators: [
      ['tau'],
      'This study adopted two unmoderated, online peer support group interventions, which were combined for the analyses and compared to TAU',
    ],
    severe: false,
    country: 'USA',
    table1Country: 'USA',
    n: 300,
    rob: {
      randomSequenceGeneration: 'unstated',
      allocationConcealment: ['unclear', 'selectionUnclear'],
      blindingOfParticipantsAndPersonnel: performanceUnclear,
      blindingOfOutcomeAssessment: ['low', 'detectionLow'],
      incompleteOutcomeData: 'unstated',
      selectiveReporting: ['unclear', 'reportingUnclear'],
      otherBias: 'unstated',
    },
    overall: ['unclear', 'overallUnclear'],
    usableData: false,
    metapsyLabels: ['Kaplan 2011'],
  }),
  trial({
    label: 'Corrigan 2015',
    refs: [60],
    citation: '[60]',
    category: 'peer support group: anti-stigma',
    table1Category: 'Peer Support group: Anti-Stigma',
    structured: [true, STRUCTURED],
    comparators: [['wait-list'], 'compared to a WLC [60] or TAU [61]'],
    severe: false,
    country: 'USA',
    table1Country: 'USA',
    n: 205,
    rob: {
      randomSequenceGeneration: ['unclear', 'selectionUnclear'],
      allocationConcealment: ['unclear', 'selectionUnclear'],
      blindingOfParticipantsAndPersonnel: performanceUnclear,
      blindingOfOutcomeAssessment: detectionUnclear,
      incompleteOutcomeData: ['high', 'attritionHigh60'],
      selectiveReporting: ['unclear', 'reportingUnclear'],
      otherBias: 'unstated',
    },
    overall: ['high', 'overallHigh'],
    usableData: false,
    metapsyLabels: [],
  }),
  trial({
    label: 'Rüsch 2014',
    refs: [61],
    citation: '[61]',
    category: 'peer support group: anti-stigma',
    table1Category: 'Peer Support group: Anti-stigma',
    structured: [true, STRUCTURED],
    comparators: [['tau'], 'compared to a WLC [60] or TAU [61]'],
    severe: false,
    country: 'Switzerland',
    table1Country: 'SC',
    n: 100,
    rob: {
      randomSequenceGeneration: 'unstated',
      allocationConcealment: 'unstated',
      blindingOfParticipantsAndPersonnel: performanceUnclear,
      blindingOfOutcomeAssessment: detectionUnclear,
      incompleteOutcomeData: 'unstated',
      selectiveReporting: ['high', 'reportingHigh61'],
      otherBias: 'unstated',
    },
    overall: ['high', 'overallHigh'],
    usableData: true,
    metapsyLabels: ['Rüsch 2014'],
  }),
  trial({
    label: 'Russinova 2014',
    refs: [62],
    citation: '[62]',
    category: 'peer support group: anti-stigma',
    table1Category: 'Peer Support group: Anti-stigma',
    structured: [true, STRUCTURED],
    comparators: [['wait-list'], 'ten sessions of photovoice compared to a WLC [62]'],
    severe: true,
    country: 'USA',
    table1Country: 'USA',
    n: 82,
    rob: {
      randomSequenceGeneration: 'unstated',
      allocationConcealment: ['unclear', 'selectionUnclear'],
      blindingOfParticipantsAndPersonnel: performanceUnclear,
      blindingOfOutcomeAssessment: detectionUnclear,
      incompleteOutcomeData: 'unstated',
      selectiveReporting: ['unclear', 'reportingUnclear'],
      otherBias: 'unstated',
    },
    overall: ['unclear', 'overallUnclear'],
    usableData: true,
    metapsyLabels: ['Russinova 2014'],
  }),
];

const TABLE_2 = `${ARTICLE}, Table 2 "Results of the main analysis"`;
/** The review's follow-up rows are short-term: "No studies reported outcomes at follow-up exceeding 12months". */
const post = (row: Omit<PublishedResult, 'timepoint' | 'followUp' | 'source'>): PublishedResult => ({
  ...row,
  timepoint: 'post',
  followUp: null,
  source: `${TABLE_2}, Post-intervention, ${row.outcome}`,
});
const followUp = (row: Omit<PublishedResult, 'timepoint' | 'source'>): PublishedResult => ({
  ...row,
  timepoint: 'short-term',
  source: `${TABLE_2}, Follow-up, ${row.outcome}`,
});

export const PUBLISHED_RESULTS: PublishedResult[] = [
  post({
    outcome: 'recovery',
    citedRefs: [52, 55, 56, 58, 62],
    trials: 5,
    n: 1265,
    measure: 'SMD',
    estimate: 0.18,
    ci: [0.07, 0.29],
    p: 0.002,
    i2: 0,
    chi2: 4.01,
    df: 4,
  }),
  post({
    outcome: 'hope',
    citedRefs: [53, 56, 58],
    trials: 3,
    n: 1029,
    measure: 'MD',
    estimate: 0.18,
    ci: [-0.34, 0.69],
    p: 0.5,
    i2: 0,
    chi2: 1.68,
    df: 2,
  }),
  post({
    outcome: 'empowerment',
    citedRefs: [57, 58, 61, 62],
    trials: 4,
    n: 750,
    measure: 'SMD',
    estimate: 0.17,
    ci: [-0.07, 0.4],
    p: 0.17,
    i2: 55,
    chi2: 6.67,
    df: 3,
  }),
  post({
    outcome: 'global symptoms',
    citedRefs: [52, 54, 58],
    trials: 3,
    n: 823,
    measure: 'SMD',
    estimate: -0.13,
    ci: [-0.27, 0.01],
    p: 0.07,
    i2: 0,
    chi2: 1.11,
    df: 2,
  }),
  post({
    outcome: 'depression',
    citedRefs: [52, 55, 58, 62],
    trials: 4,
    n: 929,
    measure: 'SMD',
    estimate: -0.09,
    ci: [-0.22, 0.04],
    p: 0.18,
    i2: 0,
    chi2: 0.99,
    df: 3,
  }),
  followUp({
    outcome: 'recovery',
    citedRefs: [52, 55, 56, 62],
    trials: 4,
    n: 983,
    measure: 'SMD',
    estimate: 0.21,
    ci: [0.08, 0.34],
    p: 0.002,
    i2: 5,
    chi2: 3.16,
    df: 3,
    followUp: '3 to 6 months',
  }),
  followUp({
    outcome: 'empowerment',
    citedRefs: [57, 61, 62],
    trials: 3,
    n: 487,
    measure: 'SMD',
    estimate: 0.13,
    ci: [-0.05, 0.31],
    p: 0.14,
    i2: 0,
    chi2: 0.37,
    df: 2,
    followUp: '3 weeks to 6 months',
  }),
  followUp({
    outcome: 'depression',
    citedRefs: [52, 55, 62],
    trials: 3,
    n: 674,
    measure: 'SMD',
    estimate: -0.12,
    ci: [-0.27, 0.03],
    p: 0.11,
    i2: 0,
    chi2: 0.95,
    df: 2,
    followUp: '3 to 6 months',
  }),
];

/** Baseline study ids of the trials a Table 2 row cites (several references can belong to one trial). */
export function trialsCited(result: PublishedResult): string[] {
  const ids = result.citedRefs.map(
    (ref) => BASELINE_TRIALS.find((trial) => trial.refs.includes(ref))?.study.id,
  );
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

export type BaselineDataStatus =
  | { status: 'extracted'; studies: string[] }
  | { status: 'awaiting extracted data'; studies: [] };

/**
 * Whether a baseline trial has real outcome data: some linked Metapsy study is stored with at least one
 * arm-level row. `labelsWithData` holds the labels of studies that have such rows.
 */
export function baselineDataStatus(
  trial: BaselineTrial,
  labelsWithData: ReadonlySet<string>,
): BaselineDataStatus {
  const studies = trial.metapsyLabels.filter((label) => labelsWithData.has(label));
  return studies.length > 0
    ? { status: 'extracted', studies }
    : { status: 'awaiting extracted data', studies: [] };
}

/** The baseline trial a stored study's label covers, if any. */
export function baselineTrialFor(label: string): BaselineTrial | undefined {
  return BASELINE_TRIALS.find((trial) => trial.metapsyLabels.includes(label) || trial.study.label === label);
}

/**
 * For a study the 2021 review included, its Table 1 characteristics and RoB 1 replace the source's coding
 * (Metapsy codes Kaplan 2011 as wait-list and SMI, the review as TAU and not severe); the source's scope,
 * RoB 2 and outcome data stay. Other studies pass through unchanged.
 */
export function withBaselineCharacteristics(study: Study): Study {
  const trial = baselineTrialFor(study.label);
  if (!trial) return study;
  return {
    ...study,
    characteristics: { ...trial.study.characteristics },
    riskOfBias: {
      ...study.riskOfBias,
      rob1: trial.study.riskOfBias.rob1,
      rob1Overall: trial.study.riskOfBias.rob1Overall,
    },
    provenance: { ...study.provenance, characteristics: trial.study.provenance.document },
  };
}
