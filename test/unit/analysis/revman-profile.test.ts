import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { poolFromCsv } from '#shared/analysis/pool-report.ts';
import { expectClose } from '#test/support/reference-cases.ts';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'metafor');
const expected = JSON.parse(readFileSync(join(dir, 'normand1999-SMD-revman.json'), 'utf8'));
const report = poolFromCsv(readFileSync(join(dir, 'normand1999-SMD-revman.csv'), 'utf8'), {
  profile: 'revman',
});

describe('the RevMan 5 profile', () => {
  it('computes RevMan 5 SMDs and their variances for every study', () => {
    expectClose(
      report.studies.map((s) => s.yi),
      expected.yi,
      1e-6,
      'yi',
    );
    expectClose(
      report.studies.map((s) => s.vi),
      expected.vi,
      1e-6,
      'vi',
    );
  });

  it('pools with DerSimonian-Laird and a z test as RevMan does', () => {
    for (const field of ['k', 'estimate', 'se', 'stat', 'p', 'ci', 'tau2', 'Q', 'Q_df', 'Q_p']) {
      expectClose((report as unknown as Record<string, unknown>)[field], expected[field], 1e-6, field);
    }
    expectClose(report.method, 'DL', 0, 'method');
    expectClose(report.test, 'z', 0, 'test');
  });

  it('reports the Q-based I² RevMan prints', () => {
    expectClose(report.I2, expected.I2, 1e-6, 'I2');
    expectClose(report.I2_Q, expected.I2, 1e-6, 'I2_Q');
  });
});
