/** Small-study effects: Egger's regression test (two forms) and Duval & Tweedie's trim-and-fill (L0), as metafor. */
import { fitRma, type Tau2Method, type TestType } from './rma.ts';

export interface EggerTest {
  stat: number;
  p: number;
  /** Degrees of freedom when the statistic is a t; null for z. */
  df: number | null;
}

/** metafor's regtest() default: the random-effects meta-regression on √vi with the model's own method and test. */
export function eggerMetafor(
  yi: readonly number[],
  vi: readonly number[],
  method: Tau2Method,
  test: TestType,
): EggerTest {
  const fit = fitRma({ yi, vi, X: vi.map((v) => [1, Math.sqrt(v)]), method, test });
  return { stat: fit.stat[1] as number, p: fit.pval[1] as number, df: fit.ddf };
}

/**
 * Egger et al. (1997): ordinary least squares of yi/sei on 1/sei, testing the intercept with t(k - 2). That is the
 * weighted regression of yi on sei with weights 1/vi and an estimated residual variance, which is how it is fitted.
 * When the line fits every study exactly (identical effects, say) the residual variance is zero and the t statistic
 * is 0/0: not estimable, NaN, as R's lm() gives when its fit is exact.
 */
export function eggerClassical(yi: readonly number[], vi: readonly number[]): EggerTest {
  const fit = fitRma({ yi, vi, X: vi.map((v) => [1, Math.sqrt(v)]), method: 'FE', test: 'knha' });
  if (fit.se[1] === 0) return { stat: Number.NaN, p: Number.NaN, df: fit.ddf };
  return { stat: fit.stat[1] as number, p: fit.pval[1] as number, df: fit.ddf };
}

export interface TrimFill {
  k0: number;
  side: 'left' | 'right';
  estimate: number;
  se: number;
  ci: [number, number];
  /** The test behind se and ci: the model's own when no study is filled, z when the filled data are refitted. */
  test?: TestType;
  /** The imputed studies, on the original scale. */
  filled: { yi: number; vi: number }[];
}

/** R's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Ranks of |x| with ties broken by position, as R's rank(ties.method = "first"). */
function ranksFirst(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value: Math.abs(value), index }));
  order.sort((a, b) => a.value - b.value || a.index - b.index);
  const ranks = new Array<number>(values.length);
  order.forEach((entry, rank) => {
    ranks[entry.index] = rank + 1;
  });
  return ranks;
}

/**
 * Trim-and-fill with the L0 estimator, following metafor's trimfill.rma.uni() step by step. With no study filled
 * metafor returns the model itself (so under Hartung-Knapp its SE and CI are Hartung-Knapp's); with studies filled
 * it refits with rma()'s default z test.
 */
export function trimAndFill(
  yi: readonly number[],
  vi: readonly number[],
  method: Tau2Method,
  test: TestType = 'z',
): TrimFill {
  const k = yi.length;
  const slope = fitRma({ yi, vi, X: vi.map((v) => [1, Math.sqrt(v)]), method, test: 'z' }).beta[1] as number;
  const side = slope < 0 ? 'right' : 'left';
  const sign = side === 'right' ? -1 : 1;
  const sorted = yi
    .map((y, index) => ({ y: sign * y, v: vi[index] as number, index }))
    .sort((a, b) => a.y - b.y || a.index - b.index);
  const ys = sorted.map((s) => s.y);
  const vs = sorted.map((s) => s.v);

  let k0 = 0;
  let previous = -1;
  let centredYs: number[] = [];
  let beta = 0;
  for (let iteration = 1; k0 !== previous; iteration++) {
    if (iteration > 100) throw new RangeError('trim-and-fill did not converge in 100 iterations');
    previous = k0;
    const kept = k - k0;
    beta = fitRma({ yi: ys.slice(0, kept), vi: vs.slice(0, kept), method, test: 'z' }).beta[0] as number;
    centredYs = ys.map((y) => y - beta);
    const ranks = ranksFirst(centredYs);
    const positiveRankSum = centredYs.reduce((sum, y, i) => sum + (y > 0 ? (ranks[i] as number) : 0), 0);
    k0 = Math.max(0, roundHalfEven((4 * positiveRankSum - k * (k + 1)) / (2 * k - 1)));
  }

  // The k0 most extreme studies are mirrored about the trimmed estimate, then flipped back to the original scale.
  const filled = centredYs
    .slice(k - k0)
    .map((c, i) => ({ yi: sign * (beta - c), vi: vs[k - k0 + i] as number }));
  const fit = fitRma({
    yi: [...yi, ...filled.map((f) => f.yi)],
    vi: [...vi, ...filled.map((f) => f.vi)],
    method,
    test: k0 === 0 ? test : 'z',
  });
  return {
    k0,
    side,
    estimate: fit.beta[0] as number,
    se: fit.se[0] as number,
    ci: [fit.ciLower[0] as number, fit.ciUpper[0] as number],
    test: fit.test,
    filled,
  };
}
