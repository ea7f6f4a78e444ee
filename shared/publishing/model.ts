/**
 * Everything the published page shows, as plain data. The page renders exactly this and nothing else:
 * no clock, no store, no analysis inside the renderer, so the same model always gives the same bytes.
 * Text fields are plain text (the renderer escapes them); numbers are raw (the renderer formats them).
 */
import type { Rob1Domain, Rob2Domain } from '#shared/extraction/model.ts';

/** An ISO 8601 timestamp such as "2026-11-21T06:00:00Z". */
export type IsoTime = string;

/** [lower, upper], the way the analysis JSON and the pooling engine write intervals. */
export type Interval = readonly [lower: number, upper: number];

/** SMD when the trials used different instruments, MD when they all used the same one. */
export type EffectMeasure = 'SMD' | 'MD';

/** One pooled result, the way Table 2 of the review reports it; names follow the analysis JSON. */
export interface PooledValues {
  k: number;
  /** Participants providing outcome data. */
  n: number;
  measure: EffectMeasure;
  estimate: number;
  ci: Interval;
  p: number;
  /** I² from Cochran's Q (RevMan's), as a percentage 0-100. */
  I2_Q: number;
  /** Cochran's Q, which the review prints as Chi². */
  Q: number;
  Q_df: number;
  /** The review's words where its rule calls the heterogeneity substantial (e.g. I² above 50%). */
  heterogeneityLabel?: string;
}

/** A published review's printed values: some reviews print no N or Chi², and some print p only as a bound. */
export interface PublishedValues extends Omit<PooledValues, 'n' | 'Q' | 'Q_df'> {
  n: number | null;
  Q: number | null;
  Q_df: number | null;
  /** As printed when it is a bound, e.g. "<0.001". */
  pAsPrinted?: string;
}

export interface CurrentResult extends PooledValues {
  /** The review's label for the p-value, e.g. "strong evidence". */
  evidence: string;
  /** The review's label for |SMD|, e.g. "small"; null for MD or below the smallest threshold. */
  magnitude: string | null;
  /** The forest plot drawn for this result, when there is one. */
  forestPlotId?: string;
}

/** One row of the summary of findings (the review's Table 2). */
export interface FindingRow {
  outcome: string;
  /** e.g. "Post-intervention", "Short-term follow-up". Rows are grouped by it, in model order. */
  timepoint: string;
  /** The analysis kind as in the analysis JSON; Table 2 rows are "main". Any other kind is named on the page. */
  analysis: string;
  /** null when this version cannot pool the outcome (fewer than 3 trials with data). */
  current: CurrentResult | null;
  /** Why `current` is null, e.g. "2 trials with data so far: described narratively". */
  currentNote?: string;
  /** e.g. "3 to 6 months"; null at post-intervention. */
  followUp: string | null;
  /** The published review's values, when it reported this outcome and timepoint. */
  published: PublishedValues | null;
  /** The same analysis restricted to the published review's trials, with the data that exist. */
  publishedTrials?: { result: CurrentResult | null; note: string } | null;
  /** Included studies that are not in this pool, each with why, e.g. "Kaplan 2011: included, awaiting data". */
  notInPool?: string[];
}

/** One arm's outcome summary. */
export interface ArmSummary {
  mean: number;
  sd: number;
  n: number;
}

export interface ForestStudy {
  /** As the plot prints it: the study, and which of its comparisons when it has several in one plot. */
  label: string;
  /** The study's label, as the included-studies list and the risk-of-bias tables name it. */
  study: string;
  yi: number;
  vi: number;
  ci: Interval;
  /** Weight in the pooled analysis; any positive scale (the plot shows percentages of the total). */
  weight: number;
  /**
   * The arms as reported (means not flipped); a multi-arm trial's control arms combined into one. Null, like
   * `reversedScale`, when the analysis version was stored before arms were recorded with it.
   */
  intervention: ArmSummary | null;
  control: ArmSummary | null;
  /** True when lower is better on the study's scale, so its effect was reversed to make positive favour the intervention. */
  reversedScale: boolean | null;
  /** Set when the source gave the effect itself, without arm data: where the effect comes from. */
  effectGiven?: string;
}

/** The test for the overall effect: z, or t with its degrees of freedom under Hartung-Knapp. */
export type OverallEffectTest =
  | { statistic: 'Z'; value: number; p: number }
  | { statistic: 't'; value: number; df: number; p: number };

export interface ForestPlotSpec {
  /** Unique within the page; used as the element id and in links. */
  id: string;
  outcome: string;
  timepoint: string;
  measure: EffectMeasure;
  /** e.g. "Random effects, DerSimonian-Laird, inverse variance". */
  method: string;
  studies: ForestStudy[];
  pooled: { estimate: number; ci: Interval };
  predictionInterval: Interval | null;
  heterogeneity: { I2_Q: number; Q: number; Q_df: number; Q_p: number; tau2: number };
  overallTest: OverallEffectTest;
  /** Labels under the axis: the negative side and the positive side (positive = favours the intervention). */
  favours: { negative: string; positive: string };
  /** Egger's test and trim-and-fill; the analysis only runs them with at least 10 trials. */
  smallStudyEffects?: {
    eggerP: number | null;
    trimFill: { missing: number; side: 'left' | 'right'; estimate: number; ci: Interval } | null;
  };
}

/** For outcomes with fewer than 3 trials: one line per study, as the review did. */
export interface NarrativeLine {
  outcome: string;
  timepoint: string;
  study: string;
  text: string;
}

/** Robustness (REML + Hartung-Knapp) and sensitivity analyses beside the main analysis. */
export interface AlternativeAnalysisRow {
  outcome: string;
  timepoint: string;
  /** "robustness" or "sensitivity:<name>", as in the analysis JSON. */
  analysis: string;
  /** Human description, e.g. "REML, Hartung-Knapp" or "Low overall risk of bias only". */
  label: string;
  result: (PooledValues & { evidence: string }) | null;
  predictionInterval: Interval | null;
  /** Why there is no result, or anything a reader must know. */
  note?: string;
}

/** One subgroup's pooled result (within-subgroup Q is not reported, as in RevMan's subgroup output). */
export interface SubgroupResult
  extends Pick<PooledValues, 'k' | 'n' | 'measure' | 'estimate' | 'ci' | 'p' | 'I2_Q'> {
  tau2: number;
}

export interface SubgroupAnalysis {
  outcome: string;
  timepoint: string;
  /** "subgroup:<name>" as in the analysis JSON. */
  analysis: string;
  label: string;
  groups: { label: string; result: SubgroupResult | null; note?: string }[];
  /** Test for subgroup differences; null when it could not be run. */
  test: { Q: number; Q_df: number; p: number } | null;
  note?: string;
}

export interface SourceSearch {
  source: string;
  /** When the source was last searched; null if never. */
  lastSearched: IsoTime | null;
}

/** One identification route's flow in PRISMA 2020: from records identified to studies included. */
export interface PrismaFlow {
  identified: { source: string; n: number }[];
  duplicatesRemoved: number;
  screened: number;
  excludedAtScreening: number;
  /** Records not yet screened at title/abstract; absent for a published review's own counts. */
  awaitingScreening?: number;
  /** Reports sought for retrieval (records that passed title/abstract screening). */
  reportsSought?: number;
  /** Reports sought but not yet assessed (not retrieved yet, or retrieved and awaiting a decision). */
  awaitingFullText?: number;
  fullTextsAssessed: number;
  /** Total reports excluded at full text; may exceed the itemised reasons when a source did not give them. */
  excludedAtFullText: number;
  fullTextExclusionReasons: { reason: string; n: number }[];
  studiesIncluded: number;
  reportsIncluded: number;
}

/**
 * The PRISMA 2020 counts of one search cycle (the published review itself, or one update): the flow of records
 * from databases and registers, and beside it the flow from other methods (data sources, citation searches).
 */
export interface PrismaCycle extends PrismaFlow {
  label: string;
  /** Date the searches of this cycle ran up to, e.g. "2019-07-13". */
  searchedUntil: string;
  otherMethods?: PrismaFlow;
}

export interface PrismaCounts {
  baseline: PrismaCycle;
  updates: PrismaCycle[];
}

export interface IncludedStudy {
  label: string;
  citation?: string;
  /**
   * The review's declared characteristics, in `PageModel.characteristics` order, as their value labels (e.g.
   * "structured"); null when the source does not say, which the page shows as "Not reported".
   */
  characteristics: (string | null)[];
  /** e.g. "TAU", "Wait-list", "Active". */
  comparator: string;
  country: string;
  nRandomised: number | null;
  /** Who included it and on what basis, e.g. "included by Lyons, Cooper & Lloyd-Evans 2021 ([53–55])". */
  inclusion: string;
  /** e.g. "Outcome data extracted (metapsy-data.csv)" or "Included, awaiting data". */
  dataStatus: string;
  /** Set when the study is in no pool at all, with the reason (retracted, no usable data, awaiting data). */
  notPooledReason?: string;
}

export interface ExcludedStudy {
  label: string;
  reason: string;
}

/** A study that is not (or no longer) among the included ones, listed beside them. */
export interface ListedStudy {
  label: string;
  /** Where it stands and why, in words. */
  status: string;
}

/** RoB 1 (Cochrane 2011) judgements. */
export type Rob1Judgement = 'low' | 'unclear' | 'high';
/** RoB 2 (Cochrane 2019) judgements; "varies by result" summarises results the source rated apart. */
export type Rob2Judgement = 'low' | 'some concerns' | 'high' | 'varies by result';
export type RobTool = 'RoB 1' | 'RoB 2';

/** A study assessed with RoB 1: each judgement with its basis, quoted from the article where it says. */
export interface Rob1StudyAssessment {
  tool: 'RoB 1';
  study: string;
  /** A missing domain shows as "not assessed". */
  domains: Partial<Record<Rob1Domain, { judgement: Rob1Judgement; basis: string }>>;
  overall: Rob1Judgement | null;
  /** Said beside the study, e.g. that it was also rated with RoB 2 and why RoB 1 is shown. */
  note?: string;
}

export interface Rob2StudyAssessment {
  tool: 'RoB 2';
  study: string;
  /** A missing domain shows as "not assessed". */
  domains: Partial<Record<Rob2Domain, Rob2Judgement>>;
  overall: Rob2Judgement | null;
  note?: string;
}

/** Each study with the one tool it is shown with; one tool's domains are never mapped onto the other's. */
export type StudyRiskOfBias = Rob1StudyAssessment | Rob2StudyAssessment;

/** RoB 2 of the one result a forest plot pools, for a study shown with RoB 2 whose source rated results. */
export interface ResultRiskOfBias {
  forestPlotId: string;
  study: string;
  domains: Record<Rob2Domain, Rob2Judgement>;
  overall: Rob2Judgement;
}

export interface RiskOfBiasSummary {
  /** The included studies that have an assessment; the page counts and graphs them per tool. */
  studies: StudyRiskOfBias[];
  /** Shown beside a forest plot in place of the study's own RoB 2, which may say "varies by result". */
  results: ResultRiskOfBias[];
}

export interface VersionEntry {
  version: string;
  time: IsoTime;
  /** Hash of the analysis inputs of this version. */
  hash: string;
  changes: string[];
  /** True when a conclusion changed (label, CI crossing zero, estimate moved > 0.1, trial added or removed). */
  material: boolean;
}

export interface PageModel {
  review: {
    /** Short stable slug, used in feed ids. */
    id: string;
    title: string;
    citation: string;
    /** Who keeps this living version; shown as the feed author. */
    maintainer: string;
    question: string;
    /** How the published review is named beside the living results, e.g. "2021 review". */
    publishedReview: string;
    /** What the intervention side is called, e.g. "peer support". */
    intervention: string;
  };
  /** What each side of an effect is called, e.g. "Favours control" / "Favours peer support". */
  favours: { negative: string; positive: string };
  /** Labels of the review's declared study characteristics: the included-studies table's columns. */
  characteristics: string[];
  /** Absolute address the site is published at, if known; feed links are relative without it. */
  siteUrl?: string;
  version: string;
  hash: string;
  generatedAt: IsoTime;
  lastChecked: IsoTime;
  sources: SourceSearch[];
  /** One line that says how the main analysis was run, shown above the summary table. */
  methodNote: string;
  findings: FindingRow[];
  forestPlots: ForestPlotSpec[];
  narratives: NarrativeLine[];
  alternativeAnalyses: AlternativeAnalysisRow[];
  subgroups: SubgroupAnalysis[];
  prisma: PrismaCounts;
  includedStudies: IncludedStudy[];
  excludedStudies: ExcludedStudy[];
  /** Studies in screening (candidates from searches and from data sources), ongoing and retracted studies. */
  awaitingClassification: ListedStudy[];
  ongoingStudies: ListedStudy[];
  retractedStudies: ListedStudy[];
  /** Each file the included studies' outcome data came from, with what it is. */
  dataSources: { document: string; description: string; studies: string[] }[];
  /** Every pooled study label; each must be among the included studies (checked before publishing). */
  pooledStudies: string[];
  riskOfBias: RiskOfBiasSummary;
  /** Newest first. */
  history: VersionEntry[];
  /** The bytes offered for download, produced elsewhere (the analysis JSON and the extracted data). */
  downloads: { analysisJson: string; dataCsv: string };
}
