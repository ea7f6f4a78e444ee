/** The Smit et al. 2023 review file against its sources: the paper's tables, the Metapsy data and search flow. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMetapsy } from '#shared/extraction/metapsy.ts';
import { loadReview } from '#shared/review/load.ts';

const review = loadReview('smit-2023');
const fixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

describe('the smit-2023 review file', () => {
  it('publishes the main effects of Tables 1-3 as printed', () => {
    const tables = JSON.parse(fixture('smit-2023/published-tables.json')) as {
      outcome: string;
      row: string;
      k: number;
      estimate: number;
      ci: [number, number];
      i2: number;
      p: string;
      pi: [number, number];
    }[];
    const printed = tables
      .filter((row) => row.row === 'All studies pooled')
      .map((row) => ({
        outcome: row.outcome,
        trials: row.k,
        estimate: row.estimate,
        ci: row.ci,
        i2: row.i2,
        pi: row.pi,
        p: row.p,
      }));
    expect(
      review.baseline.published.map((row) => ({
        outcome: row.outcome,
        trials: row.trials,
        estimate: row.estimate,
        ci: row.ci,
        i2: row.i2,
        pi: row.pi,
        p: row.pAsPrinted ?? String(row.p),
      })),
    ).toEqual(printed);
  });

  it("includes the 28 meta-analysed studies of the Metapsy data, and its PRISMA counts are the data's search flow", () => {
    const batch = readMetapsy(fixture('metapsy/data.csv'), {
      document: 'data.csv',
      config: review.extraction,
    });
    expect(review.baseline.trials.flatMap((trial) => trial.dataLabels).sort()).toEqual(
      batch.studies.map((study) => study.label).sort(),
    );
    const flow = JSON.parse(fixture('metapsy/search_flow.json'));
    const prisma = review.baseline.prisma;
    expect(prisma.identified.map((source) => source.n)).toEqual([
      flow['database.hits'],
      flow['additional.records'],
    ]);
    expect(prisma.screened).toBe(flow['records.screened']);
    expect(prisma.fullTextsAssessed).toBe(flow['full.text.assessed.for.eligibility']);
    expect(prisma.studiesIncluded).toBe(review.baseline.trials.length);
    expect(prisma.fullTextExclusionReasons.reduce((sum, reason) => sum + reason.n, 0)).toBe(
      prisma.excludedAtFullText,
    );
    expect(prisma.fullTextsAssessed - prisma.excludedAtFullText).toBe(prisma.studiesIncluded);
  });

  it('reads every Metapsy row into its three outcomes: arm-level where the row has means, the file’s g otherwise', () => {
    const batch = readMetapsy(fixture('metapsy/data.csv'), {
      document: 'data.csv',
      config: review.extraction,
    });
    const byStatus = (status: string) => batch.rows.filter((row) => row.status === status);
    expect(byStatus('not usable')).toEqual([]);
    expect(byStatus('effect')).toHaveLength(16);
    expect(byStatus('usable')).toHaveLength(2 * 50);
    expect(new Set(batch.rows.map((row) => row.outcome))).toEqual(
      new Set(['clinical recovery', 'personal recovery', 'functional recovery']),
    );
  });
});
