import { describe, expect, it } from 'vitest';
import {
  combineArms,
  hedgesCorrection,
  meanDifference,
  standardisedMeanDifference,
} from '#shared/analysis/effect-sizes.ts';

function summarise(values: number[]) {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, n };
}

describe('effect sizes from arm-level data', () => {
  it('gives the mean difference with the unpooled variance', () => {
    const effect = meanDifference({ m1i: 10, sd1i: 4, n1i: 16, m2i: 7, sd2i: 3, n2i: 9 });
    expect(effect.yi).toBe(3);
    expect(effect.vi).toBeCloseTo(16 / 16 + 9 / 9, 14);
  });

  it('applies the exact Hedges correction, which approaches 1 - 3/(4m - 1) for large m', () => {
    expect(hedgesCorrection(1000)).toBeCloseTo(1 - 3 / (4 * 1000 - 1), 6);
    expect(hedgesCorrection(10)).toBeLessThan(1 - 3 / (4 * 10 - 1) + 1e-3);
  });

  it('gives a positive SMD when the intervention arm scores higher', () => {
    expect(
      standardisedMeanDifference({ m1i: 12, sd1i: 5, n1i: 30, m2i: 10, sd2i: 5, n2i: 30 }).yi,
    ).toBeGreaterThan(0);
  });
});

describe('combining arms (Cochrane Handbook 6.5.2.10)', () => {
  const a = [3.1, 4.7, 5.2, 6.9, 2.2, 4.4];
  const b = [7.5, 6.1, 5.8, 9.3, 8.8];
  const c = [1.2, 2.5, 3.3, 2.9];

  it('gives the mean, SD and N of the two arms taken as one sample', () => {
    const combined = combineArms([summarise(a), summarise(b)]);
    const direct = summarise([...a, ...b]);
    expect(combined.n).toBe(direct.n);
    expect(combined.mean).toBeCloseTo(direct.mean, 12);
    expect(combined.sd).toBeCloseTo(direct.sd, 12);
  });

  it('combines three arms the same way, one after another', () => {
    const combined = combineArms([summarise(a), summarise(b), summarise(c)]);
    const direct = summarise([...a, ...b, ...c]);
    expect(combined.mean).toBeCloseTo(direct.mean, 12);
    expect(combined.sd).toBeCloseTo(direct.sd, 12);
  });

  it('returns a single arm unchanged', () => {
    expect(combineArms([{ mean: 2, sd: 1, n: 10 }])).toEqual({ mean: 2, sd: 1, n: 10 });
  });
});
