/**
 * Subgroup analysis: a separate meta-analysis per subgroup, RevMan's test for subgroup differences (a separate tau²
 * per subgroup, then Q between the subgroup estimates) and metafor's moderator test with one common tau².
 */
import { chiSquareUpperP } from './distributions.ts';
import { qBasedI2 } from './heterogeneity.ts';
import { type PoolOptions, type PoolResult, pool, type StudyEffect } from './pool.ts';
import { fitRma } from './rma.ts';

export interface SubgroupResult {
  subgroup: string;
  result: PoolResult;
}

export interface SubgroupAnalysis {
  groups: SubgroupResult[];
  /** RevMan 5: Chi² between subgroup estimates, df = groups - 1, with its I². */
  revman: { Q: number; df: number; p: number; I2: number };
  /** metafor: rma(yi, vi, mods = ~ factor(subgroup)); QM is chi-square (z) or F (Hartung-Knapp). */
  metafor: { QM: number; df: number; df2: number | null; p: number; tau2: number };
}

export function subgroupAnalysis(studies: readonly StudyEffect[], options: PoolOptions): SubgroupAnalysis {
  const levels = [...new Set(studies.map((s) => s.subgroup ?? ''))].sort();
  if (levels.length < 2) throw new RangeError('a subgroup analysis needs at least two subgroups');
  const groups = levels.map((subgroup) => ({
    subgroup,
    result: pool(
      studies.filter((s) => (s.subgroup ?? '') === subgroup),
      options,
    ),
  }));

  const weights = groups.map((g) => 1 / g.result.se ** 2);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const common =
    groups.reduce((sum, g, i) => sum + (weights[i] as number) * g.result.estimate, 0) / totalWeight;
  const Q = groups.reduce((sum, g, i) => sum + (weights[i] as number) * (g.result.estimate - common) ** 2, 0);
  const df = groups.length - 1;

  const X = studies.map((s) => [
    1,
    ...levels.slice(1).map((level) => ((s.subgroup ?? '') === level ? 1 : 0)),
  ]);
  const moderated = fitRma({
    yi: studies.map((s) => s.yi),
    vi: studies.map((s) => s.vi),
    X,
    method: options.method,
    test: options.test,
    level: options.level,
  });
  return {
    groups,
    revman: { Q, df, p: chiSquareUpperP(Q, df), I2: qBasedI2(Q, df) },
    metafor: {
      QM: moderated.QM,
      df: moderated.QMdf[0],
      df2: moderated.QMdf[1],
      p: moderated.QMp,
      tau2: moderated.tau2,
    },
  };
}
