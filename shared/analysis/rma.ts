/**
 * Inverse-variance (meta-)regression with a random-effects variance, following metafor's rma.uni(): tau² by
 * DerSimonian-Laird, REML (Fisher scoring from the Hedges estimate, threshold 1e-5, step halving, the ll0 check) or
 * Paule-Mandel (uniroot-style search on [0, max(100, 10 mad(y)²)]); Wald z or Hartung-Knapp t tests (no truncation;
 * with one study, the z test, as metafor). The REML threshold and the root finder's tolerance are metafor's, scaled
 * down for data whose variances are smaller than the tolerance itself (see `scaledTolerance`).
 * Pure numbers in, pure numbers out: callers validate and label.
 */
import {
  chiSquareUpperP,
  fUpperP,
  normalQuantileOf,
  normalTwoSidedP,
  tQuantileOf,
  tTwoSidedP,
} from './distributions.ts';
import {
  crossprodWeighted,
  crossprodWeightedVector,
  invertSymmetric,
  type Matrix,
  multiply,
  multiplyVector,
  trace,
} from './matrix.ts';
import { findRoot, R_UNIROOT_TOL } from './root.ts';

export type Tau2Method = 'FE' | 'DL' | 'REML' | 'PM';
export type TestType = 'z' | 'knha';

export interface RmaInput {
  yi: readonly number[];
  vi: readonly number[];
  /** Model matrix, one row per study; an intercept column of ones when omitted. */
  X?: Matrix;
  method: Tau2Method;
  test: TestType;
  /** Coverage of confidence intervals, 0.95 by default. */
  level?: number;
}

export interface RmaFit {
  k: number;
  p: number;
  method: Tau2Method;
  /** The test used: the one asked for, except z when Hartung-Knapp is asked for with one study (as metafor). */
  test: TestType;
  tau2: number;
  beta: number[];
  vb: Matrix;
  se: number[];
  stat: number[];
  pval: number[];
  ciLower: number[];
  ciUpper: number[];
  /** Degrees of freedom of the t tests (k - p) under Hartung-Knapp; null for z tests. */
  ddf: number | null;
  /** Critical value used for the confidence intervals. */
  crit: number;
  QE: number;
  QEp: number;
  /** metafor's "typical" within-study variance, (k - p) / tr(P). */
  vt: number;
  I2: number;
  H2: number;
  /** Omnibus test of the moderators (all coefficients but the intercept; the intercept when it is alone). */
  QM: number;
  QMdf: [number, number | null];
  QMp: number;
  /** Random-effects weights 1/(vi + tau²). */
  weights: number[];
  /** Non-fatal notes worth showing a reader, e.g. the Hartung-Knapp variance collapsing to zero. */
  warnings: string[];
}

const REML_THRESHOLD = 1e-5;
const REML_MAX_ITERATIONS = 100;
const LL0_TOLERANCE = Number.EPSILON ** 0.25;

/**
 * The scale of the data's variances, S = max(var(yi), vt), with vt metafor's "typical" within-study variance
 * (k - 1) / (Σw - Σw²/Σw) for w = 1/vi: tau² and its confidence bounds are measured in these units.
 */
export function varianceScale(yi: readonly number[], vi: readonly number[]): number {
  const k = yi.length;
  if (k < 2) return Number.NaN;
  const mean = yi.reduce((sum, y) => sum + y, 0) / k;
  const variance = yi.reduce((sum, y) => sum + (y - mean) ** 2, 0) / (k - 1);
  const w = vi.map((v) => 1 / v);
  const sumW = w.reduce((sum, x) => sum + x, 0);
  const sumW2 = w.reduce((sum, x) => sum + x * x, 0);
  return Math.max(variance, (k - 1) / (sumW - sumW2 / sumW));
}

/**
 * metafor's tolerances on tau² are absolute (uniroot's tol = eps^0.25 for Paule-Mandel and the Q-profile bounds, a
 * change of 1e-5 to stop REML): on data whose variances are smaller than eps^0.25 (effects near 1e-6, say) they are
 * larger than the roots they look for, and the answer is the tolerance, not the root. There the tolerance is taken
 * relative to the data's variance scale S: tolerance × S. Everywhere else it is metafor's, so its answers are
 * reproduced to the last digits.
 */
export function scaledTolerance(tolerance: number, yi: readonly number[], vi: readonly number[]): number {
  const scale = varianceScale(yi, vi);
  return scale < R_UNIROOT_TOL ? tolerance * scale : tolerance;
}

export function interceptColumn(k: number): Matrix {
  return Array.from({ length: k }, () => [1]);
}

function isInterceptColumn(X: Matrix, column: number): boolean {
  return X.every((row) => row[column] === 1);
}

/** P = W - W X (X'WX)⁻¹ X'W for W = diag(w): the residual-forming matrix behind Q, tau² and REML. */
export function residualProjection(X: Matrix, w: readonly number[]): Matrix {
  const inverse = invertSymmetric(crossprodWeighted(X, w));
  const WX = X.map((row, i) => row.map((value) => value * (w[i] ?? Number.NaN)));
  const WXinverse = multiply(WX, inverse);
  return WXinverse.map((row, i) =>
    WX.map(
      (other, j) =>
        (i === j ? (w[i] ?? Number.NaN) : 0) - row.reduce((sum, v, c) => sum + v * (other[c] ?? 0), 0),
    ),
  );
}

function quadraticForm(P: Matrix, y: readonly number[]): number {
  return multiplyVector(P, y).reduce((sum, value, i) => sum + value * (y[i] ?? Number.NaN), 0);
}

function centred(yi: readonly number[]): number[] {
  const mean = yi.reduce((sum, y) => sum + y, 0) / yi.length;
  return yi.map((y) => y - mean);
}

/** Generalised Q at a trial tau²: the weighted residual sum of squares with weights 1/(vi + tau²). */
export function generalisedQ(tau2: number, y: readonly number[], vi: readonly number[], X: Matrix): number {
  return quadraticForm(
    residualProjection(
      X,
      vi.map((v) => 1 / (v + tau2)),
    ),
    y,
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** R's mad(): 1.4826 × the median absolute deviation from the median. */
function mad(values: readonly number[]): number {
  const centre = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - centre)));
}

function dersimonianLaird(y: readonly number[], vi: readonly number[], X: Matrix): number {
  const P = residualProjection(
    X,
    vi.map((v) => 1 / v),
  );
  return Math.max(0, (quadraticForm(P, y) - (vi.length - (X[0]?.length ?? 0))) / trace(P));
}

function hedgesEstimate(y: readonly number[], vi: readonly number[], X: Matrix): number {
  const P = residualProjection(
    X,
    vi.map(() => 1),
  );
  const trPV = P.reduce((sum, row, i) => sum + (row[i] ?? 0) * (vi[i] ?? Number.NaN), 0);
  return (quadraticForm(P, y) - trPV) / (vi.length - (X[0]?.length ?? 0));
}

function restrictedLogLikelihood(
  tau2: number,
  yi: readonly number[],
  vi: readonly number[],
  X: Matrix,
): number {
  const k = yi.length;
  const p = X[0]?.length ?? 0;
  const w = vi.map((v) => 1 / (v + tau2));
  const XWX = crossprodWeighted(X, w);
  const beta = multiplyVector(invertSymmetric(XWX), crossprodWeightedVector(X, w, yi));
  const fitted = multiplyVector(X, beta);
  const rss = yi.reduce((sum, y, i) => sum + (w[i] ?? Number.NaN) * (y - (fitted[i] ?? Number.NaN)) ** 2, 0);
  return (
    -0.5 * (k - p) * Math.log(2 * Math.PI) -
    0.5 * vi.reduce((sum, v) => sum + Math.log(v + tau2), 0) -
    0.5 * Math.log(determinant(XWX)) -
    0.5 * rss
  );
}

function determinant(A: Matrix): number {
  // Symmetric positive definite: the product of the squared Cholesky pivots, by elimination.
  const M = A.map((row) => [...row]);
  let det = 1;
  for (let j = 0; j < M.length; j++) {
    const pivot = M[j]?.[j] ?? Number.NaN;
    det *= pivot;
    for (let i = j + 1; i < M.length; i++) {
      const factor = (M[i]?.[j] ?? 0) / pivot;
      for (let c = j; c < M.length; c++) (M[i] as number[])[c] = (M[i]?.[c] ?? 0) - factor * (M[j]?.[c] ?? 0);
    }
  }
  return det;
}

function restrictedMaximumLikelihood(
  y: readonly number[],
  yi: readonly number[],
  vi: readonly number[],
  X: Matrix,
): number {
  const threshold = scaledTolerance(REML_THRESHOLD, yi, vi);
  let tau2 = Math.max(0, hedgesEstimate(y, vi, X));
  let change = threshold + 1;
  let iterations = 0;
  while (change > threshold) {
    iterations++;
    if (iterations > REML_MAX_ITERATIONS) {
      throw new RangeError('Fisher scoring for the REML tau² did not converge in 100 iterations');
    }
    const previous = tau2;
    const P = residualProjection(
      X,
      vi.map((v) => 1 / (v + tau2)),
    );
    const Py = multiplyVector(P, y);
    const PP = multiply(P, P);
    let adjustment = (Py.reduce((sum, value) => sum + value * value, 0) - trace(P)) / trace(PP);
    if (Number.isNaN(adjustment)) adjustment = 0;
    while (tau2 + adjustment < 0) adjustment /= 2;
    tau2 += adjustment;
    change = Math.abs(previous - tau2);
  }
  // metafor's guard: Fisher scoring can stop at a local maximum while tau² = 0 is better.
  if (tau2 > threshold) {
    const atZero = restrictedLogLikelihood(0, yi, vi, X);
    if (atZero - restrictedLogLikelihood(tau2, yi, vi, X) > LL0_TOLERANCE) return 0;
  }
  return Math.max(0, tau2);
}

function pauleMandel(y: readonly number[], yi: readonly number[], vi: readonly number[], X: Matrix): number {
  const target = vi.length - (X[0]?.length ?? 0);
  const upper = Math.max(100, 10 * mad(yi) ** 2);
  const excess = (tau2: number) => generalisedQ(tau2, y, vi, X) - target;
  if (excess(0) < 0) return 0;
  if (excess(upper) > 0) {
    throw new RangeError(
      `the Paule-Mandel tau² exceeds ${upper}; the data are far too heterogeneous to pool`,
    );
  }
  return findRoot(excess, 0, upper, { tol: scaledTolerance(R_UNIROOT_TOL, yi, vi) });
}

export function estimateTau2(
  yi: readonly number[],
  vi: readonly number[],
  X: Matrix,
  method: Tau2Method,
): number {
  if (method === 'FE' || yi.length === 1) return 0;
  const y = centred(yi);
  switch (method) {
    case 'DL':
      return dersimonianLaird(y, vi, X);
    case 'REML':
      return restrictedMaximumLikelihood(y, yi, vi, X);
    case 'PM':
      return pauleMandel(y, yi, vi, X);
  }
}

function omnibusTest(X: Matrix, beta: number[], vb: Matrix, test: TestType, k: number) {
  const p = beta.length;
  const tested = p > 1 && isInterceptColumn(X, 0) ? beta.map((_, i) => i).slice(1) : beta.map((_, i) => i);
  const b = tested.map((i) => beta[i] as number);
  const V = tested.map((i) => tested.map((j) => vb[i]?.[j] ?? Number.NaN));
  const m = tested.length;
  let QM: number;
  try {
    const Vb = multiplyVector(invertSymmetric(V), b);
    QM = b.reduce((sum, bi, i) => sum + bi * (Vb[i] ?? Number.NaN), 0);
  } catch {
    QM = Number.NaN;
  }
  if (test === 'knha') {
    const df2 = k - p;
    return {
      QM: QM / m,
      QMdf: [m, df2] as [number, number | null],
      QMp: df2 > 0 ? fUpperP(QM / m, m, df2) : Number.NaN,
    };
  }
  return { QM, QMdf: [m, null] as [number, number | null], QMp: chiSquareUpperP(QM, m) };
}

export function fitRma(input: RmaInput): RmaFit {
  const { yi, vi, method } = input;
  const level = input.level ?? 0.95;
  const k = yi.length;
  const X = input.X ?? interceptColumn(k);
  const p = X[0]?.length ?? 0;
  if (k === 0) throw new RangeError('no studies to pool');
  if (p > k) throw new RangeError('more model coefficients than studies');
  const warnings: string[] = [];
  let test = input.test;
  if (k === 1 && test === 'knha') {
    // metafor: 'Setting argument test="z" since k=1.' A t test with 0 df has no interval.
    test = 'z';
    warnings.push(
      'Hartung-Knapp needs at least two studies: with one study the test and interval are the Wald z, as metafor does',
    );
  }

  const tau2 = estimateTau2(yi, vi, X, method);
  const weights = vi.map((v) => 1 / (v + tau2));
  const inverse = invertSymmetric(crossprodWeighted(X, weights));
  const beta = multiplyVector(inverse, crossprodWeightedVector(X, weights, yi));
  let vb = inverse;
  let ddf: number | null = null;
  if (test === 'knha') {
    const fitted = multiplyVector(X, beta);
    const rss = yi.reduce(
      (sum, y, i) => sum + (weights[i] ?? Number.NaN) * (y - (fitted[i] ?? Number.NaN)) ** 2,
      0,
    );
    // As metafor: a residual sum of squares at machine zero makes the Hartung-Knapp variance zero.
    const scale = rss <= Number.EPSILON ? 0 : rss / (k - p);
    if (scale === 0)
      warnings.push(
        'Hartung-Knapp variance is zero: the studies agree exactly, so the interval has no width',
      );
    vb = vb.map((row) => row.map((value) => value * scale));
    ddf = k - p;
  }
  const se = vb.map((row, i) => Math.sqrt(row[i] ?? Number.NaN));
  const stat = beta.map((b, i) => b / (se[i] ?? Number.NaN));
  const alpha = 1 - level;
  let crit: number;
  let pval: number[];
  if (ddf === null) {
    crit = normalQuantileOf(1 - alpha / 2);
    pval = stat.map(normalTwoSidedP);
  } else {
    const df = ddf;
    crit = df > 0 ? tQuantileOf(1 - alpha / 2, df) : Number.NaN;
    pval = stat.map((t) => (df > 0 ? tTwoSidedP(t, df) : Number.NaN));
  }
  const ciLower = beta.map((b, i) => b - crit * (se[i] ?? Number.NaN));
  const ciUpper = beta.map((b, i) => b + crit * (se[i] ?? Number.NaN));

  let QE = 0;
  let QEp = 1;
  let vt = 0;
  let I2 = 0;
  let H2 = 1;
  if (k > p) {
    const P = residualProjection(
      X,
      vi.map((v) => 1 / v),
    );
    QE = Math.max(0, quadraticForm(P, centred(yi)));
    QEp = chiSquareUpperP(QE, k - p);
    vt = (k - p) / trace(P);
    if (method === 'FE') {
      I2 = QE > 0 ? Math.max(0, (100 * (QE - (k - p))) / QE) : 0;
      H2 = QE / (k - p);
    } else {
      I2 = (100 * tau2) / (vt + tau2);
      H2 = tau2 / vt + 1;
    }
  }

  return {
    k,
    p,
    method,
    test,
    tau2,
    beta,
    vb,
    se,
    stat,
    pval,
    ciLower,
    ciUpper,
    ddf,
    crit,
    QE,
    QEp,
    vt,
    I2,
    H2,
    ...omnibusTest(X, beta, vb, test, k),
    weights,
    warnings,
  };
}
