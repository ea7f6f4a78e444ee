/**
 * A realistic PageModel for publishing tests. The 2021 values (Table 2, PRISMA counts, study characteristics,
 * risk of bias) are the review's own; the current-version trial effects are TEST DATA, labelled as such, and
 * every pooled number is computed from them by the project's pooling engine, so the page can be checked
 * against the engine. One trial is named like an injection attack to prove escaping.
 */

import { revmanStandardisedMeanDifference } from '#shared/analysis/effect-sizes.ts';
import { type PoolResult, pool, type StudyEffect } from '#shared/analysis/pool.ts';
import { ROB1_DOMAINS } from '#shared/extraction/model.ts';
import type {
  AlternativeAnalysisRow,
  ArmSummary,
  CurrentResult,
  EffectMeasure,
  FindingRow,
  ForestPlotSpec,
  PageModel,
  PooledValues,
  RiskOfBiasSummary,
  Rob1Judgement,
} from '#shared/publishing/model.ts';
import { studyRiskOfBias } from '#shared/publishing/rob-model.ts';
import { BASELINE_TRIALS, prismaBaseline } from '#test/support/group-peer-support.ts';

export const HOSTILE_STUDY = '<img src=x onerror=alert(1)>';

const FAVOURS = { negative: 'Favours control', positive: 'Favours peer support' };
const MAIN_METHOD = 'Random effects, DerSimonian-Laird, inverse variance';

/** A test trial: its label, roughly the effect it should show (positive favours peer support), and its size. */
type TestTrial = [label: string, targetEffect: number, n: number];

/** A trial's arms, computed effect and direction, the way the analysis hands them to the page. */
interface ArmTrial {
  label: string;
  intervention: ArmSummary;
  control: ArmSummary;
  reversedScale: boolean;
  effect: { yi: number; vi: number };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Arms on a 0-100 scale (SD 10) whose RevMan SMD is close to the target effect. On a reversed scale
 * (lower is better) the intervention mean is the lower one and the effect is flipped, as the analysis does.
 */
function armTrial([label, targetEffect, n]: TestTrial, reversedScale: boolean): ArmTrial {
  const control: ArmSummary = { mean: 50, sd: 10, n: Math.floor(n / 2) };
  const shift = round1(10 * targetEffect * (reversedScale ? -1 : 1));
  const intervention: ArmSummary = { mean: 50 + shift, sd: 10, n: n - control.n };
  const smd = revmanStandardisedMeanDifference({
    m1i: intervention.mean,
    sd1i: intervention.sd,
    n1i: intervention.n,
    m2i: control.mean,
    sd2i: control.sd,
    n2i: control.n,
  });
  return {
    label,
    intervention,
    control,
    reversedScale,
    effect: { yi: reversedScale ? -smd.yi : smd.yi, vi: smd.vi },
  };
}

function effects(trials: ArmTrial[]): StudyEffect[] {
  return trials.map((trial) => ({ study: trial.label, ...trial.effect }));
}

const participants = (trials: ArmTrial[]) =>
  trials.reduce((sum, trial) => sum + trial.intervention.n + trial.control.n, 0);

/** The review's evidence wording by p (Methods, Statistical analysis). */
function evidence(p: number): string {
  if (p < 0.001) return 'very strong evidence';
  if (p < 0.01) return 'strong evidence';
  if (p < 0.1) return 'weak evidence';
  return 'no evidence';
}

function magnitude(estimate: number, measure: EffectMeasure): string | null {
  if (measure !== 'SMD') return null;
  const size = Math.abs(estimate);
  return size >= 0.8 ? 'large' : size >= 0.5 ? 'medium' : size >= 0.2 ? 'small' : 'less than small';
}

function pooledValues(result: PoolResult, n: number, measure: EffectMeasure): PooledValues {
  return {
    k: result.k,
    n,
    measure,
    estimate: result.estimate,
    ci: [result.ci[0], result.ci[1]],
    p: result.p,
    I2_Q: result.I2_Q,
    Q: result.Q,
    Q_df: result.Q_df,
  };
}

export interface PooledOutcome {
  id: string;
  outcome: string;
  timepoint: string;
  measure: EffectMeasure;
  trials: ArmTrial[];
  main: PoolResult;
  robustness: PoolResult;
}

function pooledOutcome(
  id: string,
  outcome: string,
  timepoint: string,
  measure: EffectMeasure,
  testTrials: TestTrial[],
  { reversedScale = false } = {},
): PooledOutcome {
  const trials = testTrials.map((trial) => armTrial(trial, reversedScale));
  return {
    id,
    outcome,
    timepoint,
    measure,
    trials,
    main: pool(effects(trials), { method: 'DL', test: 'z' }),
    robustness: pool(effects(trials), { method: 'REML', test: 'knha' }),
  };
}

const POST = 'Post-intervention';
const FOLLOW_UP = 'Short-term follow-up';

const tenTrials: TestTrial[] = Array.from({ length: 10 }, (_, index): TestTrial => {
  const effect = [-0.31, -0.12, 0.04, -0.22, -0.05, -0.18, 0.09, -0.27, -0.1, -0.02][index] ?? 0;
  return [`Test trial D${index + 1}`, effect, 60 + 12 * index];
});

/** The pooled analyses of the fixture, computed by the pooling engine from the trials' arms. */
export function pooledOutcomes(): PooledOutcome[] {
  return [
    pooledOutcome('recovery-post', 'Recovery', POST, 'SMD', [
      ['Test trial A (2018)', 0.12, 150],
      ['Test trial B (2012)', 0.21, 480],
      ['Test trial C (2012)', 0.29, 400],
      [HOSTILE_STUDY, 0.05, 100],
      ['Test trial E & "quoted" ]]> (2014)', 0.35, 75],
    ]),
    pooledOutcome('empowerment-post', 'Empowerment', POST, 'SMD', [
      ['Test trial B (2012)', 0.02, 420],
      ['Test trial F (2014)', 0.55, 95],
      ['Test trial E & "quoted" ]]> (2014)', -0.08, 75],
      ['Test trial G, a very long label that must be shortened in the plot (2015)', 1.9, 40],
    ]),
    // Depression scales score lower for fewer symptoms: the arms are reported as measured, the effects flipped.
    pooledOutcome('depression-post', 'Depression', POST, 'SMD', tenTrials, { reversedScale: true }),
    pooledOutcome('recovery-follow-up', 'Recovery', FOLLOW_UP, 'SMD', [
      ['Test trial A (2018)', 0.18, 140],
      ['Test trial B (2012)', 0.25, 430],
      ['Test trial C (2012)', 0.2, 350],
    ]),
  ];
}

function forestSpec(analysis: PooledOutcome): ForestPlotSpec {
  const { main } = analysis;
  return {
    id: analysis.id,
    outcome: analysis.outcome,
    timepoint: analysis.timepoint,
    measure: analysis.measure,
    method: MAIN_METHOD,
    studies: main.studies.map((study, index) => {
      const trial = analysis.trials[index] as ArmTrial;
      return {
        label: study.study,
        study: study.study,
        yi: study.yi,
        vi: study.vi,
        ci: [study.yi - 1.959964 * Math.sqrt(study.vi), study.yi + 1.959964 * Math.sqrt(study.vi)],
        weight: study.weight,
        intervention: trial.intervention,
        control: trial.control,
        reversedScale: trial.reversedScale,
      };
    }),
    pooled: { estimate: main.estimate, ci: [main.ci[0], main.ci[1]] },
    predictionInterval: main.pi_riley ? [main.pi_riley[0], main.pi_riley[1]] : null,
    heterogeneity: { I2_Q: main.I2_Q, Q: main.Q, Q_df: main.Q_df, Q_p: main.Q_p, tau2: main.tau2 },
    overallTest: { statistic: 'Z', value: main.stat, p: main.p },
    favours: FAVOURS,
    ...(main.k >= 10 && main.trimfill
      ? {
          smallStudyEffects: {
            eggerP: main.egger_classical?.p ?? null,
            trimFill: {
              missing: main.trimfill.k0,
              side: main.trimfill.side,
              estimate: main.trimfill.estimate,
              ci: main.trimfill.ci,
            },
          },
        }
      : {}),
  };
}

function currentResult(analysis: PooledOutcome): CurrentResult {
  const values = pooledValues(analysis.main, participants(analysis.trials), analysis.measure);
  return {
    ...values,
    evidence: evidence(values.p),
    magnitude: magnitude(values.estimate, values.measure),
    forestPlotId: analysis.id,
  };
}

/** Table 2 of the 2021 review. */
const published = (
  k: number,
  n: number,
  measure: EffectMeasure,
  estimate: number,
  lower: number,
  upper: number,
  p: number,
  I2_Q: number,
  Q: number,
): PooledValues => ({
  k,
  n,
  measure,
  estimate,
  ci: [lower, upper],
  p,
  I2_Q,
  Q,
  Q_df: k - 1,
});

function findings(pooled: PooledOutcome[]): FindingRow[] {
  const byId = (id: string) => {
    const found = pooled.find((analysis) => analysis.id === id);
    return found ? currentResult(found) : null;
  };
  return [
    {
      outcome: 'Recovery',
      timepoint: POST,
      analysis: 'main',
      current: byId('recovery-post'),
      followUp: null,
      published: published(5, 1265, 'SMD', 0.18, 0.07, 0.29, 0.002, 0, 4.01),
    },
    {
      outcome: 'Hope',
      timepoint: POST,
      analysis: 'main',
      current: null,
      currentNote: '2 trials with data so far: described narratively',
      followUp: null,
      published: published(3, 1029, 'MD', 0.18, -0.34, 0.69, 0.5, 0, 1.68),
    },
    {
      outcome: 'Empowerment',
      timepoint: POST,
      analysis: 'main',
      current: byId('empowerment-post'),
      followUp: null,
      published: published(4, 750, 'SMD', 0.17, -0.07, 0.4, 0.17, 55, 6.67),
    },
    {
      outcome: 'Global symptoms',
      timepoint: POST,
      analysis: 'main',
      current: null,
      currentNote: 'Awaiting extracted data',
      followUp: null,
      published: published(3, 823, 'SMD', -0.13, -0.27, 0.01, 0.07, 0, 1.11),
    },
    {
      outcome: 'Depression',
      timepoint: POST,
      analysis: 'main',
      current: byId('depression-post'),
      followUp: null,
      published: published(4, 929, 'SMD', -0.09, -0.22, 0.04, 0.18, 0, 0.99),
    },
    {
      outcome: 'Recovery',
      timepoint: FOLLOW_UP,
      analysis: 'main',
      current: byId('recovery-follow-up'),
      followUp: '3 to 6 months',
      published: published(4, 983, 'SMD', 0.21, 0.08, 0.34, 0.002, 5, 3.16),
    },
  ];
}

const ALL_LOW_ROB2 = {
  randomisationProcess: 'low',
  deviationsFromIntendedInterventions: 'low',
  missingOutcomeData: 'low',
  measurementOfTheOutcome: 'low',
  selectionOfTheReportedResult: 'low',
} as const;

/**
 * RoB 1 of three of the review's own trials as it assessed them (with the quoted basis), then TEST DATA for the
 * test trials of the forest plots: RoB 1 with a RoB 2 rating beside it, RoB 1 in part, RoB 2 whose results were
 * rated apart (with the result-level RoB 2 of the recovery plot), and RoB 2 with some concerns. Test trial G and
 * the depression trials have no assessment.
 */
export function riskOfBiasFixture(): RiskOfBiasSummary {
  const baseline = ['Ben-Zeev 2018', 'Cook 2012b', 'Rüsch 2014'].flatMap((label) => {
    const trial = BASELINE_TRIALS.find((candidate) => candidate.study.label === label);
    return (trial && studyRiskOfBias(label, trial.study)) ?? [];
  });
  const basis = (text: string) => `given in test.csv: "${text}"`;
  const rob1 = (judgement: Rob1Judgement, text = 'test basis') => ({ judgement, basis: basis(text) });
  return {
    studies: [
      ...baseline,
      {
        tool: 'RoB 1',
        study: 'Test trial A (2018)',
        domains: Object.fromEntries(ROB1_DOMAINS.map((domain) => [domain, rob1('low')])),
        overall: 'low',
      },
      {
        tool: 'RoB 1',
        study: 'Test trial B (2012)',
        domains: {
          ...Object.fromEntries(ROB1_DOMAINS.map((domain) => [domain, rob1('low')])),
          blindingOfOutcomeAssessment: rob1('unclear', 'assessors <b>not</b> said to be blind'),
          incompleteOutcomeData: rob1('high', '40% lost & not imputed'),
        },
        overall: 'high',
        note: "Also rated with RoB 2 (test.csv); shown with RoB 1 (test data), the tool the review's analyses use for this study.",
      },
      {
        tool: 'RoB 1',
        study: HOSTILE_STUDY,
        domains: { randomSequenceGeneration: rob1('unclear'), allocationConcealment: rob1('unclear') },
        overall: 'unclear',
      },
      {
        tool: 'RoB 2',
        study: 'Test trial E & "quoted" ]]> (2014)',
        domains: { ...ALL_LOW_ROB2, measurementOfTheOutcome: 'varies by result' },
        overall: 'varies by result',
      },
      {
        tool: 'RoB 2',
        study: 'Test trial F (2014)',
        domains: { ...ALL_LOW_ROB2, missingOutcomeData: 'some concerns' },
        overall: 'some concerns',
      },
      {
        tool: 'RoB 2',
        study: 'Test trial C (2012)',
        domains: { ...ALL_LOW_ROB2, selectionOfTheReportedResult: 'high' },
        overall: 'high',
      },
    ],
    results: [
      {
        forestPlotId: 'recovery-post',
        study: 'Test trial E & "quoted" ]]> (2014)',
        domains: { ...ALL_LOW_ROB2, measurementOfTheOutcome: 'some concerns' },
        overall: 'some concerns',
      },
    ],
  };
}

export function pageModelFixture(): PageModel {
  const pooled = pooledOutcomes();
  return {
    review: {
      id: 'group-peer-support',
      title:
        'Group peer support for people with mental health conditions: a living systematic review & meta-analysis',
      citation:
        'Based on Lyons N, Cooper C, Lloyd-Evans B. A systematic review and meta-analysis of group peer support interventions for people experiencing mental health conditions. BMC Psychiatry 2021;21:315.',
      maintainer: 'living-review test team',
      question:
        'In adults with mental health conditions, do group peer support interventions improve recovery, hope, empowerment, quality of life and symptoms? (test fixture)',
      publishedReview: '2021 review',
      intervention: 'peer support',
    },
    favours: FAVOURS,
    characteristics: ['Intervention category', 'Structured', 'Severe mental health conditions'],
    version: '3',
    hash: 'sha256:5f2c0e9a41d7b3c8e6f1a2b4c9d0e7f3a8b5c1d2e4f6a7b9c0d1e2f3a4b5c6d7',
    generatedAt: '2026-11-20T06:00:00Z',
    lastChecked: '2026-11-20T05:40:00Z',
    sources: [
      { source: 'PubMed', lastSearched: '2026-11-20T05:40:00Z' },
      { source: 'ClinicalTrials.gov', lastSearched: '2026-11-20T05:41:00Z' },
    ],
    methodNote: `${MAIN_METHOD}; pooled only with at least 3 trials. Current values are computed from TEST DATA in this fixture.`,
    findings: findings(pooled),
    forestPlots: pooled.map(forestSpec),
    narratives: [
      {
        outcome: 'Hope',
        timepoint: POST,
        study: 'Test trial B (2012)',
        text: 'MD 0.21 (95% CI −0.30 to 0.72); no evidence of an effect (test data).',
      },
      {
        outcome: 'Hope',
        timepoint: POST,
        study: 'Test trial C (2012)',
        text: 'MD 0.10 (95% CI −0.45 to 0.65); no evidence of an effect (test data).',
      },
    ],
    alternativeAnalyses: pooled
      .map(
        (analysis): AlternativeAnalysisRow => ({
          outcome: analysis.outcome,
          timepoint: analysis.timepoint,
          analysis: 'robustness',
          label: 'REML, Hartung-Knapp',
          result: {
            ...pooledValues(analysis.robustness, participants(analysis.trials), analysis.measure),
            evidence: evidence(analysis.robustness.p),
          },
          predictionInterval: [analysis.robustness.pi[0], analysis.robustness.pi[1]],
        }),
      )
      .concat([
        {
          outcome: 'Recovery',
          timepoint: POST,
          analysis: 'sensitivity:low-risk-of-bias',
          label: 'Low overall risk of bias only',
          result: null,
          predictionInterval: null,
          note: 'Only 2 trials at low overall risk of bias: fewer than 3, not pooled',
        },
      ]),
    subgroups: [
      {
        outcome: 'Empowerment',
        timepoint: POST,
        analysis: 'subgroup:severe',
        label: 'Severe mental health conditions vs other',
        groups: [
          {
            label: 'Severe mental health conditions',
            result: null,
            note: '3 trials (test data): see main analysis',
          },
          { label: 'Other mental health conditions', result: null, note: '1 trial: not pooled' },
        ],
        test: null,
        note: 'One subgroup has fewer than 3 trials',
      },
    ],
    prisma: {
      baseline: prismaBaseline,
      updates: [
        {
          label: 'Update 1 (test data)',
          searchedUntil: '2026-06-01',
          identified: [
            { source: 'PubMed', n: 412 },
            { source: 'ClinicalTrials.gov', n: 37 },
          ],
          duplicatesRemoved: 21,
          screened: 428,
          excludedAtScreening: 419,
          fullTextsAssessed: 9,
          excludedAtFullText: 9,
          fullTextExclusionReasons: [
            { reason: 'Not randomised', n: 4 },
            { reason: 'Not group peer support', n: 3 },
            { reason: 'Trial not completed', n: 2 },
          ],
          studiesIncluded: 0,
          reportsIncluded: 0,
        },
        {
          label: 'Update 2 (test data)',
          searchedUntil: '2026-11-20',
          identified: [
            { source: 'PubMed', n: 96 },
            { source: 'ClinicalTrials.gov', n: 8 },
          ],
          duplicatesRemoved: 5,
          screened: 99,
          excludedAtScreening: 96,
          fullTextsAssessed: 3,
          excludedAtFullText: 2,
          fullTextExclusionReasons: [{ reason: 'Individual, not group, peer support', n: 2 }],
          studiesIncluded: 1,
          reportsIncluded: 1,
        },
      ],
    },
    includedStudies: [
      {
        label: 'Ben-Zeev 2018',
        characteristics: [
          'Peer support group: self-management',
          'structured',
          'severe mental health conditions',
        ],
        comparator: 'Active',
        country: 'USA',
        nRandomised: 163,
        inclusion: 'included by Lyons, Cooper & Lloyd-Evans 2021',
        dataStatus: 'Awaiting extracted data',
      },
      {
        label: 'Cook 2012a',
        characteristics: [
          'Peer support group: self-management',
          'structured',
          'severe mental health conditions',
        ],
        comparator: 'Wait-list',
        country: 'USA',
        nRandomised: 555,
        inclusion: 'included by Lyons, Cooper & Lloyd-Evans 2021',
        dataStatus: 'Outcome data extracted',
      },
      {
        label: 'Kaplan 2011',
        characteristics: ['Mutual support: online group', 'unstructured', 'other mental health conditions'],
        comparator: 'TAU',
        country: 'USA',
        nRandomised: 300,
        inclusion: 'included by Lyons, Cooper & Lloyd-Evans 2021',
        dataStatus: 'Outcome data extracted',
        notPooledReason: "online, not group format: outside the review configuration's scope",
      },
      {
        label: 'Rüsch 2014',
        characteristics: ['Peer support group: anti-stigma', 'structured', 'other mental health conditions'],
        comparator: 'TAU',
        country: 'Switzerland',
        nRandomised: 100,
        inclusion: 'included by Lyons, Cooper & Lloyd-Evans 2021',
        dataStatus: 'Outcome data extracted',
      },
      {
        label: HOSTILE_STUDY,
        characteristics: [
          'Peer support group: self-management',
          'structured',
          'severe mental health conditions',
        ],
        comparator: 'TAU',
        country: 'Testland',
        nRandomised: null,
        inclusion: 'included by Lyons, Cooper & Lloyd-Evans 2021',
        dataStatus: 'Outcome data extracted (test data)',
      },
    ],
    excludedStudies: [
      { label: 'Test exclusion 2025', reason: 'Not randomised' },
      { label: 'Test exclusion <b>bold</b> 2026', reason: 'Individual, not group, peer support' },
    ],
    awaitingClassification: [
      {
        label: 'Candidate 2024',
        status: 'awaiting title/abstract screening; outcome data exist for this study',
      },
    ],
    ongoingStudies: [],
    retractedStudies: [],
    pooledStudies: [],
    dataSources: [
      { document: 'test.csv', description: 'test data <b>not bold</b>', studies: ['Cook 2012a'] },
    ],
    riskOfBias: riskOfBiasFixture(),
    history: [
      {
        version: '3',
        time: '2026-11-20T06:00:00Z',
        hash: 'sha256:5f2c0e9a41d7',
        changes: [
          'Test trial E & "quoted" ]]> (2014) added to recovery',
          'Recovery (post): estimate moved by 0.02',
        ],
        material: true,
      },
      {
        version: '2',
        time: '2026-06-01T06:00:00Z',
        hash: 'sha256:9a1b2c3d4e5f',
        changes: ['Searches re-run: no new trials'],
        material: false,
      },
      {
        version: '1',
        time: '2026-01-15T06:00:00Z',
        hash: 'sha256:0f1e2d3c4b5a',
        changes: ['First living version: the 2021 review with imported Metapsy data'],
        material: false,
      },
    ],
    downloads: {
      analysisJson: `${JSON.stringify({ version: '3', analyses: pooled.map((analysis) => ({ id: analysis.id, estimate: analysis.main.estimate })) }, null, 2)}\n`,
      dataCsv: `study,outcome,timepoint,yi,vi\n${pooled.flatMap((analysis) => analysis.main.studies.map((study) => `"${study.study.replaceAll('"', '""')}",${analysis.outcome},${analysis.timepoint},${study.yi},${study.vi}`)).join('\n')}\n`,
    },
  };
}
