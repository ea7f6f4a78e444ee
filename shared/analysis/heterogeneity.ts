/** Heterogeneity summaries beyond the fit itself: Q-profile intervals and RevMan's Q-based I². */
import { chiSquareQuantileOf } from './distributions.ts';
import { generalisedQ, type RmaFit, scaledTolerance } from './rma.ts';
import { findRoot, R_UNIROOT_TOL } from './root.ts';

export interface QProfileInterval {
  tau2: [number, number];
  I2: [number, number];
  H2: [number, number];
}

/**
 * Q-profile confidence interval for tau² (Viechtbauer 2007) as metafor's confint() finds it: the tau² values at
 * which the generalised Q equals the chi-square quantiles, searched on [0, max(100, 10 tau²)], clamped to the ends,
 * with uniroot's tolerance (scaled to the data when its variances are smaller than that tolerance).
 */
export function qProfileInterval(
  fit: RmaFit,
  yi: readonly number[],
  vi: readonly number[],
  X: number[][],
  level = 0.95,
): QProfileInterval {
  const df = fit.k - fit.p;
  const alpha = 1 - level;
  const upperCrit = chiSquareQuantileOf(1 - alpha / 2, df);
  const lowerCrit = chiSquareQuantileOf(alpha / 2, df);
  const min = 0;
  const max = Math.max(100, fit.tau2 * 10);
  const Q = (tau2: number) => generalisedQ(tau2, yi, vi, X);
  const qAtMin = Q(min);
  const qAtMax = Q(max);
  const tol = scaledTolerance(R_UNIROOT_TOL, yi, vi);

  let lower: number;
  let upper: number;
  if (qAtMin < lowerCrit) {
    upper = min;
  } else if (qAtMax > lowerCrit) {
    upper = max;
  } else {
    upper = findRoot((t) => Q(t) - lowerCrit, min, max, { tol });
  }
  if (qAtMax > upperCrit) {
    lower = max;
    upper = max;
  } else if (qAtMin < upperCrit) {
    lower = min;
  } else {
    lower = findRoot((t) => Q(t) - upperCrit, min, max, { tol });
  }
  const toI2 = (tau2: number) => (100 * tau2) / (fit.vt + tau2);
  const toH2 = (tau2: number) => tau2 / fit.vt + 1;
  return {
    tau2: [lower, upper],
    I2: [toI2(lower), toI2(upper)],
    H2: [toH2(lower), toH2(upper)],
  };
}

/** The I² RevMan reports: max(0, (Q - df) / Q) as a percentage. */
export function qBasedI2(Q: number, df: number): number {
  return Q > 0 ? Math.max(0, (100 * (Q - df)) / Q) : 0;
}
