/**
 * Brent's root finder in the Forsythe-Malcolm-Moler form ("zeroin"), the algorithm behind R's uniroot().
 * metafor finds the Paule-Mandel tau^2 and the Q-profile bounds with uniroot at tol = eps^0.25, so running the same
 * iteration with the same tolerance and interval lands on metafor's value, not merely near the exact root.
 */
export const R_UNIROOT_TOL = Number.EPSILON ** 0.25;

export interface RootOptions {
  tol?: number;
  maxIterations?: number;
}

export function findRoot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  { tol = R_UNIROOT_TOL, maxIterations = 1000 }: RootOptions = {},
): number {
  let a = lower;
  let b = upper;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0) throw new RangeError('the function has the same sign at both ends of the interval');
  let c = a;
  let fc = fa;
  for (let iteration = 0; iteration <= maxIterations; iteration++) {
    const previousStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolerance = 2 * Number.EPSILON * Math.abs(b) + tol / 2;
    let step = (c - b) / 2;
    if (Math.abs(step) <= tolerance || fb === 0) return b;

    if (Math.abs(previousStep) >= tolerance && Math.abs(fa) > Math.abs(fb)) {
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        const ratio = fb / fa;
        p = cb * ratio;
        q = 1 - ratio;
      } else {
        const qa = fa / fc;
        const rb = fb / fc;
        const sb = fb / fa;
        p = sb * (cb * qa * (qa - rb) - (b - a) * (rb - 1));
        q = (qa - 1) * (rb - 1) * (sb - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolerance * q) / 2 && p < Math.abs((previousStep * q) / 2))
        step = p / q;
    }
    if (Math.abs(step) < tolerance) step = step > 0 ? tolerance : -tolerance;
    a = b;
    fa = fb;
    b += step;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  throw new RangeError('root finder did not converge');
}
