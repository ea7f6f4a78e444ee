import type { AnalysisPlan } from '#shared/analysis/plan.ts';
import { reportingRules } from './reporting.ts';

/**
 * Lyons, Cooper & Lloyd-Evans 2021, Methods, "Statistical analysis" and "Sensitivity and subgroup analyses":
 * random effects, inverse variance in RevMan 5.3 (DerSimonian-Laird, z); sensitivity to low overall risk of bias
 * and to treatment-as-usual comparators (for a three-armed trial, its TAU arm only); subgroups by severe mental
 * health conditions and by structured vs unstructured interventions. The robustness line (REML, Hartung-Knapp,
 * prediction interval) follows Smit et al. 2023.
 */
export const analysisPlan: AnalysisPlan = {
  timepoints: ['post', 'short-term', 'long-term'],
  main: { profile: 'revman', method: 'DL', test: 'z' },
  robustness: { profile: 'metafor', method: 'REML', test: 'knha' },
  sensitivity: [
    {
      name: 'low-risk-of-bias',
      description: 'studies with low overall risk of bias only',
      overallRiskOfBias: ['low'],
    },
    {
      // "removing the study with an active comparator [52] and using only TAU data for the three-armed trial
      // [58]": only active comparators go; wait-list controls stay, as they did in the review.
      name: 'tau-comparators',
      description:
        'TAU comparators only, as the review did it: the study with an active comparator removed and only the TAU arm of the three-armed trial; wait-list controls stay',
      controlTypes: ['tau', 'wait-list', 'other'],
    },
  ],
  subgroups: [
    {
      name: 'severe-mental-health-conditions',
      description: 'participants with severe mental health conditions vs other conditions',
      characteristic: 'severeMentalHealthConditions',
      labels: { yes: 'severe mental health conditions', no: 'other mental health conditions' },
    },
    {
      name: 'structured',
      description: 'structured (manualised) vs unstructured interventions',
      characteristic: 'structured',
      labels: { yes: 'structured', no: 'unstructured' },
    },
  ],
  reporting: reportingRules,
  retractedStudies: 'exclude',
};
