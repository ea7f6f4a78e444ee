/**
 * What a living review starts from: the published review's included trials, its pooled results (shown beside the
 * living ones) and its PRISMA counts. Each review's file supplies one.
 */
import type { Study, TimepointClass } from '#shared/extraction/model.ts';
import type { PrismaCycle } from '#shared/publishing/model.ts';

export interface BaselineTrial {
  study: Study;
  /** The article's reference numbers for this trial (its published results cite them); may be empty. */
  refs: number[];
  /** How the article cites the trial, e.g. "[53–55]" or "Cook et al., 2012a". */
  citation: string;
  /** Where each characteristic comes from (a table cell as printed, or a quoted phrase), by characteristic. */
  sources: Record<string, string>;
  /**
   * Labels of the studies in the review's data sources that hold this trial's outcome data; empty while awaiting
   * extraction. Where a source codes the trial differently, the published review's coding here wins.
   */
  dataLabels: string[];
  /** Where the published review judged that the trial gave no usable data for meta-analysis, with its words. */
  dataJudgement?: { usable: boolean; basis: string };
}

/** One row of the published review's results table, as printed. */
export interface PublishedResult {
  outcome: string;
  timepoint: TimepointClass;
  /** The reference numbers the row cites, when the article prints them. */
  citedRefs: number[];
  trials: number;
  /** Participants, when the article prints them. */
  n: number | null;
  measure: 'SMD' | 'MD';
  estimate: number;
  ci: [number, number];
  p: number;
  /** The p-value as printed when it is a bound, e.g. "<0.001"; `p` then holds the bound. */
  pAsPrinted?: string;
  i2: number;
  /** Cochran's Q (printed as Chi²) and its df, when the article prints them. */
  chi2: number | null;
  df: number | null;
  /** The prediction interval, when the article prints one. */
  pi?: [number, number] | null;
  /** "Duration of follow-up, post end of treatment"; null for post-intervention rows, which leave it blank. */
  followUp: string | null;
  source: string;
}

export interface ReviewBaseline {
  /** How the page names the published review beside the living results, e.g. "2021 review". */
  label: string;
  /** Who included the baseline trials and when: the published review's authors, at its publication date. */
  decision: { by: string; at: string };
  trials: BaselineTrial[];
  published: PublishedResult[];
  prisma: PrismaCycle;
  /**
   * The published review's included reports as RIS (absolute path), each record's N1 note ending with the label
   * of the trial it reports in parentheses, e.g. "(Cook, 2012a)"; null when the file names none.
   */
  includedReports: string | null;
}

/** The baseline trial a stored study's label covers, if any. */
export function baselineTrialFor(baseline: ReviewBaseline, label: string): BaselineTrial | undefined {
  return baseline.trials.find((trial) => trial.dataLabels.includes(label) || trial.study.label === label);
}

/**
 * For a study the published review included, each characteristic it coded replaces a data source's coding
 * (Metapsy codes Kaplan 2011 as wait-list and SMI, the 2021 review as TAU and not severe), and so does its RoB 1;
 * what it left uncoded stays as the source gives it, as do the source's scope, RoB 2 and outcome data. Other
 * studies pass through unchanged.
 */
export function withBaselineCoding(baseline: ReviewBaseline, study: Study): Study {
  const trial = baselineTrialFor(baseline, study.label);
  if (!trial) return study;
  const coding = trial.study.characteristics;
  const given = Object.entries(coding.coded).filter(([, value]) => value !== null);
  const codedAnything =
    given.length > 0 ||
    coding.comparators.length > 0 ||
    coding.country !== null ||
    coding.nRandomised !== null ||
    coding.format !== null ||
    trial.study.riskOfBias.rob1 !== null;
  if (!codedAnything) return study;
  const source = study.characteristics;
  return {
    ...study,
    characteristics: {
      coded: { ...source.coded, ...Object.fromEntries(given) },
      comparators: coding.comparators.length > 0 ? [...coding.comparators] : source.comparators,
      country: coding.country ?? source.country,
      nRandomised: coding.nRandomised ?? source.nRandomised,
      format: coding.format ?? source.format,
    },
    riskOfBias: {
      ...study.riskOfBias,
      ...(trial.study.riskOfBias.rob1
        ? { rob1: trial.study.riskOfBias.rob1, rob1Overall: trial.study.riskOfBias.rob1Overall }
        : {}),
    },
    provenance: { ...study.provenance, characteristics: trial.study.provenance.document },
  };
}
