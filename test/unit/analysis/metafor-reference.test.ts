import { describe, it } from 'vitest';
import { type PoolReport, poolFromCsv } from '#shared/analysis/pool-report.ts';
import { expectClose, type ReferenceCase, referenceCases } from '#test/support/reference-cases.ts';

// Tolerances from test/fixtures/metafor/README.md: metafor finds the Paule-Mandel tau² and the Q-profile bounds
// with uniroot at tol ≈ 1.2e-4, everything else to machine precision.
const TIGHT = 1e-6;
const ROOT_FOUND = 1e-4;

const SCALARS = ['k', 'estimate', 'se', 'stat', 'p', 'ci', 'pi', 'pi_riley', 'I2', 'H2', 'Q', 'Q_df', 'Q_p'];

function poolCase(c: ReferenceCase): PoolReport {
  const measure = c.expected.measure === 'yi' ? {} : { measure: c.expected.measure as 'SMD' | 'MD' };
  return poolFromCsv(c.csv, {
    profile: 'metafor',
    method: c.expected.method,
    test: c.expected.test,
    ...measure,
  });
}

function checkAgainstMetafor(c: ReferenceCase): void {
  const report = poolCase(c) as unknown as Record<string, unknown> & PoolReport;
  const expected = c.expected;
  for (const field of SCALARS)
    if (field in expected) expectClose(report[field], expected[field], TIGHT, field);
  expectClose(report.tau2, expected.tau2, expected.method === 'PM' ? ROOT_FOUND : TIGHT, 'tau2');
  expectClose(report.tau2_ci, expected.tau2_ci, ROOT_FOUND, 'tau2_ci');
  expectClose(report.I2_ci, expected.I2_ci, ROOT_FOUND, 'I2_ci');
  expectClose(
    report.studies.map((s) => s.yi),
    [expected.yi].flat(),
    TIGHT,
    'yi',
  );
  expectClose(
    report.studies.map((s) => s.vi),
    [expected.vi].flat(),
    TIGHT,
    'vi',
  );
  const egger = expected.egger as { stat: number; p: number } | undefined;
  expectClose(report.egger?.stat, egger?.stat, TIGHT, 'egger.stat');
  expectClose(report.egger?.p, egger?.p, TIGHT, 'egger.p');
  const classical = expected.egger_classical as { stat: number; p: number } | undefined;
  if (classical) {
    expectClose(report.egger_classical?.stat, classical.stat, TIGHT, 'egger_classical.stat');
    expectClose(report.egger_classical?.p, classical.p, TIGHT, 'egger_classical.p');
  }
  const trimfill = expected.trimfill as { k0: number; side: string; estimate: number } | undefined;
  expectClose(report.trimfill?.k0, trimfill?.k0, 0, 'trimfill.k0');
  expectClose(report.trimfill?.side, trimfill?.side, 0, 'trimfill.side');
  expectClose(report.trimfill?.estimate, trimfill?.estimate, TIGHT, 'trimfill.estimate');
  const subgroups = expected.subgroups as
    | {
        groups: { subgroup: string; k: number; estimate: number; se: number; tau2: number }[];
        revman: { Q: number; df: number; p: number };
        metafor: { QM: number; df: number; df2: number | null; p: number; tau2: number };
      }
    | undefined;
  if (subgroups) {
    const actual = report.subgroups;
    if (!actual) throw new Error('subgroups: expected a subgroup analysis');
    subgroups.groups.forEach((group, i) => {
      const mine = actual.groups[i];
      expectClose(mine?.subgroup, group.subgroup, 0, `subgroups.groups[${i}].subgroup`);
      expectClose(mine?.result.k, group.k, 0, `subgroups.groups[${i}].k`);
      expectClose(mine?.result.estimate, group.estimate, TIGHT, `subgroups.groups[${i}].estimate`);
      expectClose(mine?.result.se, group.se, TIGHT, `subgroups.groups[${i}].se`);
      expectClose(mine?.result.tau2, group.tau2, TIGHT, `subgroups.groups[${i}].tau2`);
    });
    expectClose(actual.revman.Q, subgroups.revman.Q, TIGHT, 'subgroups.revman.Q');
    expectClose(actual.revman.df, subgroups.revman.df, 0, 'subgroups.revman.df');
    expectClose(actual.revman.p, subgroups.revman.p, TIGHT, 'subgroups.revman.p');
    expectClose(actual.metafor.QM, subgroups.metafor.QM, TIGHT, 'subgroups.metafor.QM');
    expectClose(actual.metafor.df, subgroups.metafor.df, 0, 'subgroups.metafor.df');
    expectClose(actual.metafor.df2, subgroups.metafor.df2, 0, 'subgroups.metafor.df2');
    expectClose(actual.metafor.p, subgroups.metafor.p, TIGHT, 'subgroups.metafor.p');
    expectClose(actual.metafor.tau2, subgroups.metafor.tau2, TIGHT, 'subgroups.metafor.tau2');
  }
}

describe('agreement with metafor 3.8-1 on the reference cases', () => {
  for (const c of referenceCases('metafor')) {
    it(`reproduces metafor for ${c.name}`, () => checkAgainstMetafor(c));
  }
});

describe('agreement with metafor 3.8-1 on further datasets and edge cases', () => {
  for (const c of referenceCases('metafor-extra')) {
    it(`reproduces metafor for ${c.name}`, () => checkAgainstMetafor(c));
  }
});
