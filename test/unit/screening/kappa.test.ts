import { describe, expect, it } from 'vitest';
import { cohensKappa } from '#shared/screening/kappa.ts';

describe("Cohen's kappa", () => {
  it('matches a hand calculation', () => {
    // 10 pairs, 7 agree: po = 0.7. Reviewer 1: 4 include, 5 exclude, 1 maybe; reviewer 2: 4 include, 6 exclude.
    // pe = 0.4*0.4 + 0.5*0.6 + 0.1*0 = 0.46; kappa = (0.7 - 0.46) / 0.54 = 0.4444...
    const result = cohensKappa([
      ['include', 'include'],
      ['include', 'include'],
      ['include', 'include'],
      ['exclude', 'exclude'],
      ['exclude', 'exclude'],
      ['exclude', 'exclude'],
      ['exclude', 'exclude'],
      ['include', 'exclude'],
      ['exclude', 'include'],
      ['maybe', 'exclude'],
    ]);
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.46, 12);
    expect(result.kappa).toBeCloseTo(0.24 / 0.54, 12);
  });

  it('is 1 for perfect agreement across categories and negative for systematic disagreement', () => {
    expect(
      cohensKappa([
        ['include', 'include'],
        ['exclude', 'exclude'],
      ]).kappa,
    ).toBe(1);
    expect(
      cohensKappa([
        ['include', 'exclude'],
        ['exclude', 'include'],
      ]).kappa,
    ).toBe(-1);
  });

  it('is undefined (null) with no pairs or when chance agreement is 1', () => {
    expect(cohensKappa([]).kappa).toBeNull();
    expect(
      cohensKappa([
        ['exclude', 'exclude'],
        ['exclude', 'exclude'],
      ]).kappa,
    ).toBeNull();
  });
});
