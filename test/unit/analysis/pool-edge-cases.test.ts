import { describe, expect, it } from 'vitest';
import { pool } from '#shared/analysis/pool.ts';
import { InputError } from '#shared/errors.ts';

const knha = { method: 'REML', test: 'knha' } as const;

describe('pooling at the edges', () => {
  it('returns the single study itself when k = 1, with no heterogeneity', () => {
    const result = pool([{ study: 'Only', yi: 0.4, vi: 0.04 }], { method: 'DL', test: 'z' });
    expect(result.estimate).toBeCloseTo(0.4, 15);
    expect(result.se).toBeCloseTo(0.2, 15);
    expect(result.tau2).toBe(0);
    expect(result.tau2_ci).toBeNull();
    expect(result.egger).toBeUndefined();
  });

  it('gives a zero-width Hartung-Knapp interval and says why when the studies agree exactly', () => {
    const identical = ['A', 'B', 'C'].map((study) => ({ study, yi: 0.3, vi: 0.02 }));
    const result = pool(identical, knha);
    expect(result.ci[0]).toBeCloseTo(0.3, 15);
    expect(result.ci[1]).toBe(result.ci[0]);
    expect(result.warnings.join(' ')).toMatch(/Hartung-Knapp variance is zero/);
    expect(result.warnings.join(' ')).toMatch(/every variance here is equal/);
  });

  it('refuses a zero variance and names the study', () => {
    expect(() =>
      pool(
        [
          { study: 'Good', yi: 0.1, vi: 0.1 },
          { study: 'Broken 2019', yi: 0.2, vi: 0 },
        ],
        knha,
      ),
    ).toThrow(new InputError('study "Broken 2019": variance must be positive, got 0'));
  });

  it('refuses a negative variance and names the study', () => {
    expect(() => pool([{ study: 'Negative', yi: 0.2, vi: -0.5 }], knha)).toThrow(
      /study "Negative": variance must be positive/,
    );
  });

  it('refuses an empty set of studies', () => {
    expect(() => pool([], knha)).toThrow(InputError);
  });

  it('weights sum to 100 percent', () => {
    const result = pool(
      [
        { study: 'A', yi: 0.1, vi: 0.01 },
        { study: 'B', yi: 0.5, vi: 0.2 },
        { study: 'C', yi: 0.3, vi: 0.05 },
      ],
      knha,
    );
    expect(result.studies.reduce((sum, s) => sum + s.weight, 0)).toBeCloseTo(100, 12);
  });
});
