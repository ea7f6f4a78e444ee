import type { ReportingRules } from '#shared/analysis/reporting.ts';

/**
 * Lyons, Cooper & Lloyd-Evans 2021, Methods, "Statistical analysis": at least three trials to meta-analyse; evidence
 * by p (no evidence p ≥ 0.1, weak 0.01-0.09, strong < 0.01, very strong < 0.001, after their ref. 49); Cohen's
 * magnitudes small 0.2, medium 0.5, large 0.8; I² > 50% substantial; funnel-plot tests only with ten or more studies.
 */
export const reportingRules: ReportingRules = {
  minimumTrialsToPool: 3,
  evidence: [
    { pBelow: 0.001, label: 'very strong evidence' },
    { pBelow: 0.01, label: 'strong evidence' },
    { pBelow: 0.1, label: 'weak evidence' },
  ],
  noEvidenceLabel: 'no evidence',
  smdMagnitude: [
    { atLeast: 0.8, label: 'large' },
    { atLeast: 0.5, label: 'medium' },
    { atLeast: 0.2, label: 'small' },
  ],
  belowSmallestMagnitude: 'less than small',
  substantialHeterogeneityAbove: 50,
  minimumTrialsForSmallStudyTests: 10,
};
