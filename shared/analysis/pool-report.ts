/**
 * The `pool` use case: a CSV of studies in, one report out, under a named profile. "metafor" is metafor's defaults
 * (Hedges' g with the exact correction, REML, z); "revman" is RevMan 5 (its SMD formulas, DerSimonian-Laird, z,
 * and the Q-based I²). Explicit method and test choices override the profile's.
 */
import { InputError } from '#shared/errors.ts';
import {
  type ArmPair,
  type Effect,
  meanDifference,
  revmanStandardisedMeanDifference,
  type SmdVariance,
  standardisedMeanDifference,
} from './effect-sizes.ts';
import { type PoolOptions, type PoolResult, pool, type StudyEffect, unpoolableEffect } from './pool.ts';
import { type Excluded, parsePoolCsv } from './pool-input.ts';
import type { Tau2Method, TestType } from './rma.ts';
import { type SubgroupAnalysis, subgroupAnalysis } from './subgroups.ts';

export type Profile = 'metafor' | 'revman';
export type ArmMeasure = 'SMD' | 'MD';

export interface PoolRequest {
  profile: Profile;
  measure?: ArmMeasure;
  method?: Tau2Method;
  test?: TestType;
}

export interface PoolReport extends PoolResult {
  measure: ArmMeasure | 'yi';
  profile: Profile;
  excluded: Excluded[];
  subgroups?: SubgroupAnalysis;
}

const PROFILE_DEFAULTS: Record<Profile, { method: Tau2Method; test: TestType }> = {
  metafor: { method: 'REML', test: 'z' },
  revman: { method: 'DL', test: 'z' },
};

export function effectFor(
  measure: ArmMeasure,
  profile: Profile,
  arms: ArmPair,
  smdVariance: SmdVariance = 'LS',
): Effect {
  if (measure === 'MD') return meanDifference(arms);
  return profile === 'revman'
    ? revmanStandardisedMeanDifference(arms)
    : standardisedMeanDifference(arms, smdVariance);
}

export function poolFromCsv(text: string, request: PoolRequest): PoolReport {
  const input = parsePoolCsv(text);
  if (input.kind === 'effect' && request.measure !== undefined) {
    throw new InputError(
      '--measure applies to arm-level data; this file already gives effect sizes (yi, vi)',
    );
  }
  const measure = input.kind === 'effect' ? 'yi' : (request.measure ?? 'SMD');
  const studies: StudyEffect[] =
    input.kind === 'effect'
      ? input.rows
      : input.rows.map((row) => {
          const effect = effectFor(measure as ArmMeasure, request.profile, row);
          const where = `line ${row.line} (study "${row.study}")`;
          if (row.sd1i === 0 && row.sd2i === 0) {
            throw new InputError(
              `${where}: cannot compute the ${measure}: both standard deviations are zero`,
            );
          }
          const unpoolable = unpoolableEffect(effect.yi, effect.vi);
          if (unpoolable) throw new InputError(`${where}: the ${measure}'s ${unpoolable.problem}`);
          return {
            study: row.study,
            ...effect,
            ...(row.subgroup !== undefined ? { subgroup: row.subgroup } : {}),
          };
        });
  if (studies.length === 0) {
    throw new InputError(`no row has usable data (${input.excluded.length} excluded for empty or NA cells)`);
  }
  const options = {
    method: request.method ?? PROFILE_DEFAULTS[request.profile].method,
    test: request.test ?? PROFILE_DEFAULTS[request.profile].test,
  };
  try {
    const result = pool(studies, options);
    const report: PoolReport = { ...result, measure, profile: request.profile, excluded: input.excluded };
    if (request.profile === 'revman') report.I2 = result.I2_Q;
    if (input.hasSubgroups) addSubgroups(report, studies, options);
    return report;
  } catch (error) {
    // The model cannot be fitted to these numbers (a tau² search that does not converge or exceeds its bound, a
    // singular matrix): metafor stops on them too. Bad input, said as such, not a crash.
    if (error instanceof RangeError) throw new InputError(`cannot pool these studies: ${error.message}`);
    throw error;
  }
}

/**
 * A study whose subgroup cell is empty stays in the overall pool and is left out of the subgroup analysis only, as
 * metafor leaves it out of rma(yi, vi, mods = ~ factor(subgroup)). Notes from a subgroup's own model (one study under
 * Hartung-Knapp, say) are repeated in the report's notes, naming the subgroup.
 */
function addSubgroups(report: PoolReport, studies: StudyEffect[], options: PoolOptions): void {
  const grouped = studies.filter((s) => s.subgroup !== undefined);
  const ungrouped = studies.filter((s) => s.subgroup === undefined);
  if (ungrouped.length > 0) {
    const names = ungrouped.map((s) => `"${s.study}"`).join(', ');
    report.warnings.push(
      `${names} ${ungrouped.length === 1 ? 'has' : 'have'} an empty subgroup cell: pooled overall, left out of the subgroup analysis`,
    );
  }
  if (new Set(grouped.map((s) => s.subgroup)).size < 2) {
    report.warnings.push('the subgroup column holds one subgroup only, so there is no subgroup analysis');
    return;
  }
  const analysis = subgroupAnalysis(grouped, options);
  report.subgroups = analysis;
  for (const group of analysis.groups) {
    for (const warning of group.result.warnings)
      report.warnings.push(`subgroup "${group.subgroup}": ${warning}`);
  }
}
