/**
 * The distribution functions the analysis needs, from @stdlib (agrees with R to about 1e-14).
 * Upper tails are computed directly, never as 1 - cdf, so tiny p-values keep their digits.
 */

import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Two-sided p-value of a standard normal statistic. */
export function normalTwoSidedP(z: number): number {
  return 2 * normalCdf(-Math.abs(z), 0, 1);
}

/** Two-sided p-value of a t statistic with `df` degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  return 2 * tCdf(-Math.abs(t), df);
}

/** P(X > q) for X ~ chi-square(df). */
export function chiSquareUpperP(q: number, df: number): number {
  if (q <= 0) return 1;
  return gammainc(q / 2, df / 2, true, true);
}

/** The quantile of N(0, 1) with lower-tail probability `p`. */
export function normalQuantileOf(p: number): number {
  return normalQuantile(p, 0, 1);
}

export function tQuantileOf(p: number, df: number): number {
  return tQuantile(p, df);
}

export function chiSquareQuantileOf(p: number, df: number): number {
  return chisquareQuantile(p, df);
}

/** P(F > f) for F ~ F(df1, df2): the regularised incomplete beta I_x(df2/2, df1/2) at x = df2/(df2 + df1 f). */
export function fUpperP(f: number, df1: number, df2: number): number {
  if (f <= 0) return 1;
  return betainc(df2 / (df2 + df1 * f), df2 / 2, df1 / 2, true, false);
}
