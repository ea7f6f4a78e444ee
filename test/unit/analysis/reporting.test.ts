import { describe, expect, it } from 'vitest';
import {
  canPool,
  evidenceLabel,
  isSubstantialHeterogeneity,
  magnitudeLabel,
} from '#shared/analysis/reporting.ts';
import { reportingRules } from '#test/support/group-peer-support.ts';

describe("the 2021 review's reporting rules", () => {
  it.each([
    [0.5, 'no evidence'],
    [0.1, 'no evidence'],
    [0.09, 'weak evidence'],
    [0.01, 'weak evidence'],
    [0.0099, 'strong evidence'],
    [0.001, 'strong evidence'],
    [0.0009, 'very strong evidence'],
  ])('labels p = %s as %s', (p, label) => {
    expect(evidenceLabel(p, reportingRules)).toBe(label);
  });

  it.each([
    [0.18, 'less than small'],
    [-0.2, 'small'],
    [0.49, 'small'],
    [0.5, 'medium'],
    [-0.8, 'large'],
  ])('labels an SMD of %s as %s', (estimate, label) => {
    expect(magnitudeLabel(estimate, 'SMD', reportingRules)).toBe(label);
  });

  it('gives no magnitude label to a mean difference, which is in its instrument’s units', () => {
    expect(magnitudeLabel(0.9, 'MD', reportingRules)).toBeNull();
  });

  it('pools only from three trials', () => {
    expect(canPool(2, reportingRules)).toBe(false);
    expect(canPool(3, reportingRules)).toBe(true);
  });

  it('calls I² substantial only above 50%', () => {
    expect(isSubstantialHeterogeneity(50, reportingRules)).toBe(false);
    expect(isSubstantialHeterogeneity(55, reportingRules)).toBe(true);
  });
});
