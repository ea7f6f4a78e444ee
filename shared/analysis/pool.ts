/**
 * The pooling use case: one random-effects (or fixed-effect) meta-analysis of study effects, with everything a
 * review reports beside the estimate. Pure: validated numbers in, plain result out.
 */
import { InputError } from '#shared/errors.ts';
import { tQuantileOf } from './distributions.ts';
import { qBasedI2, qProfileInterval } from './heterogeneity.ts';
import { fitRma, interceptColumn, type Tau2Method, type TestType } from './rma.ts';
import { type EggerTest, eggerClassical, eggerMetafor, type TrimFill, trimAndFill } from './small-study.ts';

export interface StudyEffect {
  study: string;
  yi: number;
  vi: number;
  subgroup?: string;
}

export interface PoolOptions {
  method: Tau2Method;
  test: TestType;
  level?: number;
}

export interface WeightedStudy {
  study: string;
  yi: number;
  vi: number;
  /** Percentage weight in the pooled estimate. */
  weight: number;
}

export interface PoolResult {
  k: number;
  method: Tau2Method;
  /** The test used: z when Hartung-Knapp was asked for with one study, as metafor. */
  test: TestType;
  estimate: number;
  se: number;
  stat: number;
  /** Degrees of freedom of the t test under Hartung-Knapp; null for z. */
  df: number | null;
  p: number;
  ci: [number, number];
  /** metafor's predict(): the model's critical value (z, or t with k - 1 df under Hartung-Knapp). */
  pi: [number, number];
  /**
   * Higgins, Thompson & Spiegelhalter (2009) / Riley et al. (2011): t with k - 2 df (at least 1, so also for one
   * study) and the model's SE, as metafor's predict(pi.type = "riley").
   */
  pi_riley: [number, number] | null;
  tau2: number;
  tau2_ci: [number, number] | null;
  I2: number;
  I2_ci: [number, number] | null;
  H2: number;
  H2_ci: [number, number] | null;
  Q: number;
  Q_df: number;
  Q_p: number;
  /** RevMan's I² from Q. */
  I2_Q: number;
  studies: WeightedStudy[];
  egger?: EggerTest;
  egger_classical?: EggerTest;
  trimfill?: TrimFill;
  warnings: string[];
}

/**
 * Why one study's effect cannot be pooled, with the number at fault, or null. Beyond the plainly unusable (not a
 * number, a variance not above 0), the arithmetic must stay within double precision: the weight 1/vi and yi²/vi
 * must be finite. metafor stops on these too: a variance of 5e-324 ("NA/NaN/Inf in foreign function call"), an
 * effect of 1e300 ("singular matrix 'a' in solve").
 */
export function unpoolableEffect(yi: number, vi: number): { column: 'yi' | 'vi'; problem: string } | null {
  if (!Number.isFinite(yi)) return { column: 'yi', problem: `effect size ${yi} is not a finite number` };
  if (!Number.isFinite(vi)) return { column: 'vi', problem: `variance ${vi} is not a finite number` };
  if (vi <= 0) return { column: 'vi', problem: `variance must be positive, got ${vi}` };
  if (!Number.isFinite(1 / vi)) {
    return {
      column: 'vi',
      problem: `variance ${vi} is too small to pool: its weight 1/vi overflows double precision`,
    };
  }
  if (!Number.isFinite((yi * yi) / vi)) {
    return {
      column: 'yi',
      problem: `effect size ${yi} is too large to pool with variance ${vi}: yi²/vi overflows double precision`,
    };
  }
  return null;
}

/** Refuses effects no analysis can use, naming the study. */
export function assertUsableEffects(studies: readonly StudyEffect[]): void {
  if (studies.length === 0) throw new InputError('no studies with usable data to pool');
  for (const { study, yi, vi } of studies) {
    const unpoolable = unpoolableEffect(yi, vi);
    if (unpoolable) throw new InputError(`study "${study}": ${unpoolable.problem}`);
  }
}

/** metafor's rma() warns from this ratio of the largest to the smallest sampling variance (1 / its evtol). */
const EXTREME_VARIANCE_RATIO = 1e7;

export function pool(studies: readonly StudyEffect[], options: PoolOptions): PoolResult {
  assertUsableEffects(studies);
  const level = options.level ?? 0.95;
  const yi = studies.map((s) => s.yi);
  const vi = studies.map((s) => s.vi);
  const k = studies.length;
  const X = interceptColumn(k);
  const fit = fitRma({ yi, vi, X, method: options.method, test: options.test, level });

  const estimate = fit.beta[0] as number;
  const se = fit.se[0] as number;
  const predictionSe = Math.sqrt(se ** 2 + fit.tau2);
  const estimatedParameters = options.method === 'FE' ? 1 : 2;
  const rileyCrit = tQuantileOf(1 - (1 - level) / 2, Math.max(1, k - estimatedParameters));
  const hasRandomEffect = options.method !== 'FE' && k >= 2;
  const profile = hasRandomEffect ? qProfileInterval(fit, yi, vi, X, level) : null;
  const totalWeight = fit.weights.reduce((sum, w) => sum + w, 0);

  const result: PoolResult = {
    k,
    method: options.method,
    test: fit.test,
    estimate,
    se,
    stat: fit.stat[0] as number,
    df: fit.ddf,
    p: fit.pval[0] as number,
    ci: [fit.ciLower[0] as number, fit.ciUpper[0] as number],
    pi: [estimate - fit.crit * predictionSe, estimate + fit.crit * predictionSe],
    pi_riley:
      k >= 2 || options.method !== 'FE'
        ? [estimate - rileyCrit * predictionSe, estimate + rileyCrit * predictionSe]
        : null,
    tau2: fit.tau2,
    tau2_ci: profile?.tau2 ?? null,
    I2: fit.I2,
    I2_ci: profile?.I2 ?? null,
    H2: fit.H2,
    H2_ci: profile?.H2 ?? null,
    Q: fit.QE,
    Q_df: k - 1,
    Q_p: fit.QEp,
    I2_Q: qBasedI2(fit.QE, k - 1),
    studies: studies.map((s, i) => ({
      study: s.study,
      yi: s.yi,
      vi: s.vi,
      weight: (100 * (fit.weights[i] as number)) / totalWeight,
    })),
    warnings: [...fit.warnings],
  };
  const varianceRatio = vi.reduce((a, b) => Math.max(a, b)) / vi.reduce((a, b) => Math.min(a, b));
  if (varianceRatio >= EXTREME_VARIANCE_RATIO) {
    result.warnings.push(
      `the largest sampling variance is ${varianceRatio.toPrecision(3)} times the smallest: results may not be stable (metafor warns the same)`,
    );
  }
  if (k >= 3 && new Set(vi).size < 2) {
    result.warnings.push(
      "Egger's test and trim-and-fill need studies of differing precision; every variance here is equal",
    );
  } else if (k >= 3) {
    result.egger = eggerMetafor(yi, vi, options.method, options.test);
    result.egger_classical = eggerClassical(yi, vi);
    result.trimfill = trimAndFill(yi, vi, options.method, options.test);
  }
  return result;
}
