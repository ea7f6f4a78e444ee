/**
 * Builds the analysis parts of a PageModel from the analysis entries (`analyse --json`, `runPlan`), copying
 * numbers as they are so the page shows exactly what the analysis computed. Labels for outcomes, timepoints
 * and analysis kinds are made readable here; everything else about the page comes from elsewhere.
 */

import type { AnalysedStudy, AnalysisEntry } from '#shared/analysis/run-plan.ts';
import { NOT_USABLE_PREFIX } from '#shared/extraction/model.ts';
import { formatCount, formatEstimate, formatInterval } from './format.ts';
import type {
  AlternativeAnalysisRow,
  CurrentResult,
  FindingRow,
  ForestPlotSpec,
  ForestStudy,
  NarrativeLine,
  OverallEffectTest,
  PooledValues,
  PublishedValues,
  SubgroupAnalysis,
} from './model.ts';

const TIMEPOINT_LABELS: Record<string, string> = {
  post: 'Post-intervention',
  'short-term': 'Short-term follow-up',
  'long-term': 'Long-term follow-up',
};

const TIMEPOINT_ORDER = ['post', 'short-term', 'long-term'];

const TAU2_METHODS: Record<string, string> = {
  DL: 'DerSimonian-Laird',
  REML: 'REML',
  PM: 'Paule-Mandel',
};

const TESTS: Record<string, string> = { z: 'z test', knha: 'Hartung-Knapp' };

export function timepointLabel(timepoint: string): string {
  return TIMEPOINT_LABELS[timepoint] ?? timepoint;
}

/** First letter upper case, for ids and descriptions written in lower case ("quality of life"). */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const outcomeLabel = sentenceCase;

export function methodLabel(entry: Pick<AnalysisEntry, 'method' | 'test'>): string {
  if (entry.method === 'FE') return `Fixed effect, inverse variance, ${TESTS[entry.test] ?? entry.test}`;
  return `Random effects, ${TAU2_METHODS[entry.method] ?? entry.method}, inverse variance, ${TESTS[entry.test] ?? entry.test}`;
}

/** The anchor of the forest plot drawn for a pooled entry. */
export function forestPlotIdOf(entry: Pick<AnalysisEntry, 'outcome' | 'timepoint' | 'analysis'>): string {
  return `forest-${entry.outcome}-${entry.timepoint}-${entry.analysis}`;
}

/**
 * The test for the overall effect. Under Hartung-Knapp the statistic is t with k - 1 degrees of freedom (the
 * analyses pool an intercept only); otherwise z. Both are the estimate over its standard error.
 */
export function overallTestOf(
  entry: Pick<AnalysisEntry, 'test' | 'k' | 'estimate' | 'se' | 'p'>,
): OverallEffectTest | null {
  const { estimate, se, p } = entry;
  if (estimate === null || se === null || p === null || !(se > 0)) return null;
  const value = estimate / se;
  return entry.test === 'knha' ? { statistic: 't', value, df: entry.k - 1, p } : { statistic: 'Z', value, p };
}

/** The pooled numbers of an entry, or null when it was not pooled. */
export function pooledValuesOf(entry: AnalysisEntry): PooledValues | null {
  const { estimate, ci, p, I2_Q, Q, Q_df } = entry;
  if (
    !entry.pooled ||
    estimate === null ||
    ci === null ||
    p === null ||
    I2_Q === null ||
    Q === null ||
    Q_df === null
  ) {
    return null;
  }
  const label = entry.heterogeneity;
  return {
    k: entry.k,
    n: entry.n,
    measure: entry.measure,
    estimate,
    ci,
    p,
    I2_Q,
    Q,
    Q_df,
    ...(label ? { heterogeneityLabel: label } : {}),
  };
}

function currentResultOf(entry: AnalysisEntry): CurrentResult | null {
  const values = pooledValuesOf(entry);
  if (!values) return null;
  return {
    ...values,
    evidence: entry.evidence ?? '',
    magnitude: entry.magnitude,
    forestPlotId: forestPlotIdOf(entry),
  };
}

/** What each side of the forest plot's axis is called, from the review's labels. */
export interface Favours {
  negative: string;
  positive: string;
}

/**
 * A study's arms and scale direction. A study whose source gave only its effect has no arms to show; and the page
 * shows the latest stored analysis version, where one stored before arms were recorded lacks them (its hash, of
 * the inputs, did not change): those columns are then left empty.
 */
function recordedArms(
  study: AnalysedStudy,
): Pick<ForestStudy, 'intervention' | 'control' | 'reversedScale' | 'effectGiven'> {
  if (study.effectGiven) {
    return { intervention: null, control: null, reversedScale: null, effectGiven: study.effectGiven };
  }
  const stored: Partial<Pick<AnalysedStudy, 'intervention' | 'control' | 'higherIsBetter'>> = study;
  if (!stored.intervention || !stored.control || typeof stored.higherIsBetter !== 'boolean') {
    return { intervention: null, control: null, reversedScale: null };
  }
  return {
    intervention: { ...stored.intervention },
    control: { ...stored.control },
    reversedScale: !stored.higherIsBetter,
  };
}

/** A forest plot for a pooled entry; null when the entry was not pooled. */
export function forestPlotOf(entry: AnalysisEntry, favours: Favours): ForestPlotSpec | null {
  const values = pooledValuesOf(entry);
  const overallTest = overallTestOf(entry);
  if (!values || !overallTest || entry.Q_p === null) return null;
  return {
    id: forestPlotIdOf(entry),
    outcome: outcomeLabel(entry.outcome),
    timepoint: timepointLabel(entry.timepoint),
    measure: entry.measure,
    method: methodLabel(entry),
    studies: entry.studies.map((study) => ({
      label: study.comparison ? `${study.study} (${study.comparison})` : study.study,
      study: study.study,
      yi: study.yi,
      vi: study.vi,
      ci: study.ci,
      weight: study.weight ?? 0,
      ...recordedArms(study),
    })),
    pooled: { estimate: values.estimate, ci: values.ci },
    predictionInterval: entry.pi,
    heterogeneity: {
      I2_Q: values.I2_Q,
      Q: values.Q,
      Q_df: values.Q_df,
      Q_p: entry.Q_p,
      tau2: entry.tau2 ?? 0,
    },
    overallTest,
    favours,
    ...(entry.egger || entry.trimfill
      ? {
          smallStudyEffects: {
            eggerP: entry.egger?.p ?? null,
            trimFill: entry.trimfill
              ? {
                  missing: entry.trimfill.k0,
                  side: entry.trimfill.side,
                  estimate: entry.trimfill.estimate,
                  ci: entry.trimfill.ci,
                }
              : null,
          },
        }
      : {}),
  };
}

/** The published review's value for one outcome and timepoint. */
export interface PublishedFinding {
  outcome: string;
  timepoint: string;
  values: PublishedValues;
  followUp: string | null;
}

const key = (outcome: string, timepoint: string) => `${timepoint}\u0000${outcome}`;

/**
 * Summary-of-findings rows: every outcome and timepoint that this version analysed or the published review printed,
 * by timepoint, the published order first and new outcomes after it.
 */
/** The summary table's few words for why an included study is not in a pool; the studies table says it all. */
function shortReason(reason: string): string {
  if (reason.startsWith('retracted')) return 'retracted';
  if (reason.startsWith('no usable data')) return 'no usable data, as judged';
  if (reason === 'included, awaiting data') return 'awaiting data';
  if (reason === 'outcome not measured' || reason === 'not measured at this timepoint') return 'not measured';
  if (reason.startsWith(NOT_USABLE_PREFIX)) return 'no arm-level data';
  return reason;
}

export function findingRowsOf(
  analyses: readonly AnalysisEntry[],
  published: readonly PublishedFinding[],
): FindingRow[] {
  const mains = analyses.filter((entry) => entry.analysis === 'main');
  const timepoints = [
    ...new Set([
      ...TIMEPOINT_ORDER,
      ...published.map((row) => row.timepoint),
      ...mains.map((entry) => entry.timepoint),
    ]),
  ];
  const rows: FindingRow[] = [];
  for (const timepoint of timepoints) {
    const outcomes = [
      ...new Set([
        ...published.filter((row) => row.timepoint === timepoint).map((row) => row.outcome),
        ...mains.filter((entry) => entry.timepoint === timepoint).map((entry) => entry.outcome),
      ]),
    ];
    for (const outcome of outcomes) {
      const entry = mains.find(
        (candidate) => key(candidate.outcome, candidate.timepoint) === key(outcome, timepoint),
      );
      const publishedRow = published.find(
        (row) => key(row.outcome, row.timepoint) === key(outcome, timepoint),
      );
      const current = entry ? currentResultOf(entry) : null;
      const trialsOnly = analyses.find(
        (candidate) =>
          candidate.analysis === 'studies:published-trials' &&
          key(candidate.outcome, candidate.timepoint) === key(outcome, timepoint),
      );
      const note = entry
        ? entry.notes.join('; ') || 'Not pooled'
        : 'No trial with usable data in this version';
      rows.push({
        outcome: outcomeLabel(outcome),
        timepoint: timepointLabel(timepoint),
        analysis: 'main',
        current,
        ...(current ? {} : { currentNote: note }),
        followUp: publishedRow?.followUp ?? null,
        published: publishedRow?.values ?? null,
        publishedTrials: trialsOnly
          ? {
              result: currentResultOf(trialsOnly),
              note: `${trialsOnly.studies.map((study) => study.study).join(', ')}${trialsOnly.pooled ? '' : `: ${trialsOnly.notes.at(-1) ?? 'not pooled'}`}`,
            }
          : null,
        notInPool: (entry?.notPooled ?? []).map((item) => `${item.study} (${shortReason(item.reason)})`),
      });
    }
  }
  return rows;
}

/** One forest plot per pooled main analysis, in analysis order. */
export function forestPlotsOf(analyses: readonly AnalysisEntry[], favours: Favours): ForestPlotSpec[] {
  return analyses
    .filter((entry) => entry.analysis === 'main')
    .flatMap((entry) => forestPlotOf(entry, favours) ?? []);
}

/** One line per study for main analyses that could not be pooled. */
export function narrativeLinesOf(analyses: readonly AnalysisEntry[]): NarrativeLine[] {
  return analyses
    .filter((entry) => entry.analysis === 'main' && !entry.pooled)
    .flatMap((entry) =>
      entry.studies.map((study) => ({
        outcome: outcomeLabel(entry.outcome),
        timepoint: timepointLabel(entry.timepoint),
        study: study.study,
        text: `${entry.measure} ${formatEstimate(study.yi)} (95% CI ${formatInterval(study.ci)}); N = ${formatCount(study.n)}; ${study.instrument}`,
      })),
    );
}

function kindName(analysis: string): string {
  return (analysis.split(':')[1] ?? analysis).replaceAll('-', ' ');
}

/** Robustness and sensitivity rows, labelled by the method (robustness) or the plan's description (sensitivity). */
export function alternativeRowsOf(analyses: readonly AnalysisEntry[]): AlternativeAnalysisRow[] {
  return analyses
    .filter((entry) => entry.analysis === 'robustness' || entry.analysis.startsWith('sensitivity:'))
    .map((entry) => {
      const values = pooledValuesOf(entry);
      const isRobustness = entry.analysis === 'robustness';
      // The runner puts a sensitivity analysis's description first in its notes.
      const [description, ...rest] = isRobustness ? [methodLabel(entry), ...entry.notes] : entry.notes;
      const note = rest.join('; ');
      return {
        outcome: outcomeLabel(entry.outcome),
        timepoint: timepointLabel(entry.timepoint),
        analysis: entry.analysis,
        label: sentenceCase(description ?? kindName(entry.analysis)),
        result: values ? { ...values, evidence: entry.evidence ?? '' } : null,
        predictionInterval: values ? entry.pi : null,
        ...(note ? { note } : {}),
      };
    });
}

/** Subgroup analyses with each subgroup's result and the test for subgroup differences. */
export function subgroupAnalysesOf(analyses: readonly AnalysisEntry[]): SubgroupAnalysis[] {
  return analyses
    .filter((entry) => entry.analysis.startsWith('subgroup:'))
    .map((entry) => {
      const note = entry.notes.join('; ');
      return {
        outcome: outcomeLabel(entry.outcome),
        timepoint: timepointLabel(entry.timepoint),
        analysis: entry.analysis,
        label: `Subgroups by ${kindName(entry.analysis)}`,
        groups: (entry.subgroups ?? []).map((group) => ({
          label: sentenceCase(group.subgroup),
          result: {
            k: group.k,
            n: group.n,
            measure: entry.measure,
            estimate: group.estimate,
            ci: group.ci,
            p: group.p,
            I2_Q: group.I2_Q,
            tau2: group.tau2,
          },
        })),
        test: entry.subgroupTest
          ? { Q: entry.subgroupTest.Q, Q_df: entry.subgroupTest.df, p: entry.subgroupTest.p }
          : null,
        ...(note ? { note } : {}),
      };
    });
}
