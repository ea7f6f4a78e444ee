/**
 * Effect sizes from arm-level summary data (arm 1 = intervention, arm 2 = control).
 * Formulas follow metafor's escalc() defaults, and RevMan 5's statistical algorithms for its SMD.
 */
import gammaln from '@stdlib/math-base-special-gammaln';

export interface ArmPair {
  m1i: number;
  sd1i: number;
  n1i: number;
  m2i: number;
  sd2i: number;
  n2i: number;
}

export interface Effect {
  yi: number;
  vi: number;
}

/** Mean difference with metafor's default unpooled (large-sample) variance: sd1²/n1 + sd2²/n2. */
export function meanDifference(arms: ArmPair): Effect {
  return {
    yi: arms.m1i - arms.m2i,
    vi: arms.sd1i ** 2 / arms.n1i + arms.sd2i ** 2 / arms.n2i,
  };
}

function pooledSd({ sd1i, n1i, sd2i, n2i }: ArmPair): number {
  return Math.sqrt(((n1i - 1) * sd1i ** 2 + (n2i - 1) * sd2i ** 2) / (n1i + n2i - 2));
}

/** Hedges' exact small-sample correction J(m) = Γ(m/2) / (√(m/2) Γ((m-1)/2)), m = n1 + n2 - 2. */
export function hedgesCorrection(m: number): number {
  return Math.exp(gammaln(m / 2) - Math.log(Math.sqrt(m / 2)) - gammaln((m - 1) / 2));
}

/**
 * metafor's escalc() variance types for the SMD: "LS", its default, 1/n1 + 1/n2 + g²/(2N); "LS2",
 * J² (1/n1 + 1/n2 + d²/(2N)) with the uncorrected d (what metapsyTools and meta's metacont give).
 */
export type SmdVariance = 'LS' | 'LS2';

/** Hedges' g with the exact correction, and its large-sample variance of the chosen type (metafor's default LS). */
export function standardisedMeanDifference(arms: ArmPair, variance: SmdVariance = 'LS'): Effect {
  const n = arms.n1i + arms.n2i;
  const correction = hedgesCorrection(n - 2);
  const yi = (correction * (arms.m1i - arms.m2i)) / pooledSd(arms);
  const d = (arms.m1i - arms.m2i) / pooledSd(arms);
  const vi =
    variance === 'LS2'
      ? correction ** 2 * (1 / arms.n1i + 1 / arms.n2i + d ** 2 / (2 * n))
      : 1 / arms.n1i + 1 / arms.n2i + yi ** 2 / (2 * n);
  return { yi, vi };
}

/** RevMan 5's SMD: g = d (1 - 3/(4N - 9)), SE² = N/(n1 n2) + g²/(2(N - 3.94)). */
export function revmanStandardisedMeanDifference(arms: ArmPair): Effect {
  const n = arms.n1i + arms.n2i;
  const yi = ((arms.m1i - arms.m2i) / pooledSd(arms)) * (1 - 3 / (4 * n - 9));
  return { yi, vi: n / (arms.n1i * arms.n2i) + yi ** 2 / (2 * (n - 3.94)) };
}

export interface Arm {
  mean: number;
  sd: number;
  n: number;
}

/**
 * Combines two or more arms into one (Cochrane Handbook 6.5.2.10, Table 6.5.a), e.g. a trial's treatment-as-usual
 * and clinician-led control arms, so the trial enters a pairwise comparison once.
 */
export function combineArms(arms: readonly Arm[]): Arm {
  const [first, ...rest] = arms;
  if (first === undefined) throw new RangeError('combineArms needs at least one arm');
  return rest.reduce((a, b) => {
    const n = a.n + b.n;
    const mean = (a.n * a.mean + b.n * b.mean) / n;
    const sumOfSquares =
      (a.n - 1) * a.sd ** 2 +
      (b.n - 1) * b.sd ** 2 +
      ((a.n * b.n) / n) * (a.mean ** 2 + b.mean ** 2 - 2 * a.mean * b.mean);
    return { mean, sd: Math.sqrt(sumOfSquares / (n - 1)), n };
  }, first);
}
