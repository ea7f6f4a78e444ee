/**
 * Risk of bias as the page shows it: each study with the one tool it was assessed with (RoB 1 or RoB 2), in
 * that tool's domains and words, and per tool the share of studies given each judgement in each domain. One
 * tool's domains are never mapped onto the other's: they ask different questions.
 */
import type { AnalysisEntry } from '#shared/analysis/run-plan.ts';
import {
  isArmRow,
  type OutcomeRow,
  ROB1_DOMAINS,
  ROB2_DOMAINS,
  type Rob1Domain,
  type Rob2Assessment,
  type Rob2Domain,
  type Study,
} from '#shared/extraction/model.ts';
import { forestPlotIdOf } from './from-analysis.ts';
import type { ResultRiskOfBias, Rob1Judgement, Rob2Judgement, RobTool, StudyRiskOfBias } from './model.ts';

export interface RobDomain<D extends string = string> {
  id: D;
  label: string;
  /** The letter RevMan (A to G, RoB 1) or robvis (D1 to D5, RoB 2) marks the domain with. */
  short: string;
}

export interface RobToolDefinition<D extends string, J extends string> {
  tool: RobTool;
  name: string;
  domains: RobDomain<D>[];
  /** The tool's judgements, from low to high risk, then any outside that scale. */
  judgements: J[];
}

export const ROB1_TOOL: RobToolDefinition<Rob1Domain, Rob1Judgement> = {
  tool: 'RoB 1',
  name: 'Cochrane risk-of-bias tool (RoB 1, 2011): seven domains',
  domains: [
    { id: 'randomSequenceGeneration', label: 'Random sequence generation (selection bias)', short: 'A' },
    { id: 'allocationConcealment', label: 'Allocation concealment (selection bias)', short: 'B' },
    {
      id: 'blindingOfParticipantsAndPersonnel',
      label: 'Blinding of participants and personnel (performance bias)',
      short: 'C',
    },
    {
      id: 'blindingOfOutcomeAssessment',
      label: 'Blinding of outcome assessment (detection bias)',
      short: 'D',
    },
    { id: 'incompleteOutcomeData', label: 'Incomplete outcome data (attrition bias)', short: 'E' },
    { id: 'selectiveReporting', label: 'Selective reporting (reporting bias)', short: 'F' },
    { id: 'otherBias', label: 'Other bias', short: 'G' },
  ],
  judgements: ['low', 'unclear', 'high'],
};

export const ROB2_TOOL: RobToolDefinition<Rob2Domain, Rob2Judgement> = {
  tool: 'RoB 2',
  name: 'Cochrane risk-of-bias tool for randomised trials (RoB 2, 2019): five domains and an overall judgement',
  domains: [
    { id: 'randomisationProcess', label: 'Bias arising from the randomisation process', short: 'D1' },
    {
      id: 'deviationsFromIntendedInterventions',
      label: 'Bias due to deviations from intended interventions',
      short: 'D2',
    },
    { id: 'missingOutcomeData', label: 'Bias due to missing outcome data', short: 'D3' },
    { id: 'measurementOfTheOutcome', label: 'Bias in measurement of the outcome', short: 'D4' },
    { id: 'selectionOfTheReportedResult', label: 'Bias in selection of the reported result', short: 'D5' },
  ],
  judgements: ['low', 'some concerns', 'high', 'varies by result'],
};

export const NOT_ASSESSED = 'not assessed';
export type ShownJudgement = Rob1Judgement | Rob2Judgement | typeof NOT_ASSESSED;

/** Each judgement in its tool's own words. */
export const JUDGEMENT_WORDS: Record<ShownJudgement, string> = {
  low: 'Low risk',
  unclear: 'Unclear risk',
  high: 'High risk',
  'some concerns': 'Some concerns',
  'varies by result': 'Varies by result',
  [NOT_ASSESSED]: 'Not assessed',
};

function documentsOf(studies: readonly Study[]): string {
  return [...new Set(studies.map((study) => study.provenance.document))].sort().join(', ');
}

/**
 * A study with the tool the review's analyses use for it: RoB 1 when it has one (the published review's
 * trials, as they were assessed; `overallRiskOfBias` in the analysis plan reads the same), else RoB 2.
 * `otherRecords` are further records of the same study (e.g. its outcome data's), so a RoB 2 rating held
 * there is named beside RoB 1.
 */
export function studyRiskOfBias(
  label: string,
  assessed: Study,
  otherRecords: readonly Study[] = [],
): StudyRiskOfBias | null {
  const { rob1, rob1Overall, rob2 } = assessed.riskOfBias;
  if (rob1 || rob1Overall) {
    const withRob2 = [assessed, ...otherRecords].filter((record) => record.riskOfBias.rob2 !== null);
    const rob1Source = assessed.provenance.characteristics ?? assessed.provenance.document;
    return {
      tool: 'RoB 1',
      study: label,
      domains: rob1
        ? Object.fromEntries(
            ROB1_DOMAINS.map((domain) => [
              domain,
              { judgement: rob1[domain].rating, basis: rob1[domain].basis },
            ]),
          )
        : {},
      overall: rob1Overall,
      ...(withRob2.length > 0
        ? {
            note: `Also rated with RoB 2 (${documentsOf(withRob2)}); shown with RoB 1 (${rob1Source}), the tool the review's analyses use for this study.`,
          }
        : {}),
    };
  }
  if (rob2) return { tool: 'RoB 2', study: label, domains: { ...rob2.domains }, overall: rob2.overall };
  return null;
}

/**
 * The RoB 2 of one pooled result, from the result-level ratings of its outcome rows (both arms, and every
 * time within the timepoint class); a domain the rows rate apart reads "varies by result". Null when the
 * source rated none of them.
 */
export function resultRiskOfBias(
  forestPlotId: string,
  study: string,
  rows: readonly OutcomeRow[],
): ResultRiskOfBias | null {
  const rated = rows.flatMap((row) => (row.rob2 ? [row.rob2] : []));
  const [first] = rated;
  if (!first) return null;
  const agreed = (pick: (assessment: Rob2Assessment) => Rob2Judgement): Rob2Judgement =>
    rated.every((assessment) => pick(assessment) === pick(first)) ? pick(first) : 'varies by result';
  return {
    forestPlotId,
    study,
    domains: Object.fromEntries(
      ROB2_DOMAINS.map((domain) => [domain, agreed((assessment) => assessment.domains[domain])]),
    ) as Record<Rob2Domain, Rob2Judgement>,
    overall: agreed((assessment) => assessment.overall),
  };
}

/**
 * For each forest plot (pooled main analysis), the result-level RoB 2 of the pooled results of the studies
 * shown with RoB 2: the arm rows of the study's data for that outcome, timepoint and instrument.
 */
export function plotResultsRiskOfBias(
  analyses: readonly AnalysisEntry[],
  rows: readonly OutcomeRow[],
  dataStudyIdsOf: (label: string) => readonly string[],
  studies: readonly StudyRiskOfBias[],
): ResultRiskOfBias[] {
  const shownWithRob2 = new Set(
    studies.filter((study) => study.tool === 'RoB 2').map((study) => study.study),
  );
  const armRows = rows.filter(isArmRow);
  // The entries forestPlotsOf draws a plot for.
  const plotted = analyses.filter((entry) => entry.analysis === 'main' && entry.pooled);
  return plotted.flatMap((entry) =>
    entry.studies.flatMap((pooled) => {
      if (!shownWithRob2.has(pooled.study)) return [];
      const dataStudyIds = dataStudyIdsOf(pooled.study);
      const own = armRows.filter(
        (row) =>
          dataStudyIds.includes(row.studyId) &&
          row.outcome === entry.outcome &&
          row.timepoint === entry.timepoint &&
          row.instrument === pooled.instrument,
      );
      return resultRiskOfBias(forestPlotIdOf(entry), pooled.study, own) ?? [];
    }),
  );
}

export interface JudgementShare {
  judgement: ShownJudgement;
  studies: number;
  /**
   * Of the tool's studies, rounded to a whole percentage on its own, so the same count always reads the same
   * (a domain's percentages may then add up to 99 or 101).
   */
  percent: number;
}

export interface DomainShares {
  /** A domain id, or "overall". */
  id: string;
  label: string;
  short: string;
  /** Every judgement of the tool in its order, then "not assessed"; zero counts included. */
  shares: JudgementShare[];
}

export interface ToolShares {
  tool: RobTool;
  name: string;
  /** Studies shown with this tool: each counts once (unweighted), as in RevMan's risk of bias graph. */
  studies: number;
  domains: DomainShares[];
}

function domainShares(
  id: string,
  label: string,
  short: string,
  order: readonly ShownJudgement[],
  judgements: readonly (ShownJudgement | undefined | null)[],
): DomainShares {
  const counts = order.map(
    (judgement) => judgements.filter((given) => (given ?? NOT_ASSESSED) === judgement).length,
  );
  const total = judgements.length;
  return {
    id,
    label,
    short,
    shares: order.map((judgement, i) => {
      const studies = counts[i] ?? 0;
      return { judgement, studies, percent: total === 0 ? 0 : Math.round((100 * studies) / total) };
    }),
  };
}

/** Per tool used (RoB 1 first), the share of its studies given each judgement in each domain and overall. */
export function riskOfBiasShares(studies: readonly StudyRiskOfBias[]): ToolShares[] {
  const rob1 = studies.filter((study) => study.tool === 'RoB 1');
  const rob2 = studies.filter((study) => study.tool === 'RoB 2');
  const tools: ToolShares[] = [];
  if (rob1.length > 0) {
    const order: ShownJudgement[] = [...ROB1_TOOL.judgements, NOT_ASSESSED];
    tools.push({
      tool: 'RoB 1',
      name: ROB1_TOOL.name,
      studies: rob1.length,
      domains: [
        ...ROB1_TOOL.domains.map((domain) =>
          domainShares(
            domain.id,
            domain.label,
            domain.short,
            order,
            rob1.map((study) => study.domains[domain.id]?.judgement),
          ),
        ),
        domainShares(
          'overall',
          'Overall',
          'Overall',
          order,
          rob1.map((study) => study.overall),
        ),
      ],
    });
  }
  if (rob2.length > 0) {
    const order: ShownJudgement[] = [...ROB2_TOOL.judgements, NOT_ASSESSED];
    tools.push({
      tool: 'RoB 2',
      name: ROB2_TOOL.name,
      studies: rob2.length,
      domains: [
        ...ROB2_TOOL.domains.map((domain) =>
          domainShares(
            domain.id,
            domain.label,
            domain.short,
            order,
            rob2.map((study) => study.domains[domain.id]),
          ),
        ),
        domainShares(
          'overall',
          'Overall',
          'Overall',
          order,
          rob2.map((study) => study.overall),
        ),
      ],
    });
  }
  return tools;
}
