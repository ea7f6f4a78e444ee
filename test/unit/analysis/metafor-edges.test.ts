import { describe, it } from 'vitest';
import { runCli } from '#test/support/cli.ts';
import {
  expectClose as expectCloseOrThrow,
  type ReferenceCase,
  referenceCases,
} from '#test/support/reference-cases.ts';

// The edge cases of issue 14 (test/fixtures/metafor-edges), checked field by field on what `pool --json` prints.
// Tolerances from test/fixtures/metafor/README.md: 1e-4 relative for what metafor finds with uniroot (Paule-Mandel
// tau², the Q-profile bounds), 1e-6 for everything else.
const TIGHT = 1e-6;
const ROOT_FOUND = 1e-4;

interface ModelFields {
  model_test: 'z' | 'knha';
  k: number;
  df: number | null;
  estimate: number;
  se: number;
  stat: number;
  p: number;
  ci: [number, number];
  tau2: number;
  I2: number;
  H2: number;
  Q: number;
  Q_df: number;
  Q_p: number;
  I2_Q: number;
}

interface EggerFields {
  stat: number | null;
  p: number | null;
  df: number | null;
}

interface Expected extends ModelFields {
  method: 'DL' | 'REML' | 'PM';
  pi: [number, number];
  pi_riley: [number, number];
  tau2_ci: [number, number] | null;
  I2_ci: [number, number] | null;
  H2_ci: [number, number] | null;
  yi: number[];
  vi: number[];
  weights: number[];
  egger?: EggerFields;
  egger_classical?: EggerFields;
  trimfill?: {
    k0: number;
    side: string;
    estimate: number;
    se: number;
    ci: [number, number];
    filled: { yi: number; vi: number }[];
  };
  trimfill_error?: string;
  subgroups?: {
    groups: (ModelFields & { subgroup: string })[];
    revman: { Q: number; df: number; p: number; I2: number };
    metafor: { QM: number; df: number; df2: number | null; p: number; tau2: number };
  };
  metafor_notes: string[];
  scale_invariant?: {
    tau2: number;
    tau2_ci: [number, number];
    I2: number;
    I2_ci: [number, number];
    estimate: number;
    se: number;
  };
}

type Json = Record<string, unknown>;

// Every field is checked and every disagreement reported, not only the first.
let disagreements: string[] = [];
function expectClose(actual: unknown, expected: unknown, relative: number, field: string): void {
  try {
    expectCloseOrThrow(actual, expected, relative, field);
  } catch (error) {
    disagreements.push((error as Error).message);
  }
}
function reportDisagreements(check: () => void): void {
  disagreements = [];
  check();
  if (disagreements.length > 0) throw new Error(disagreements.join('\n'));
}

async function poolJson(c: ReferenceCase): Promise<Json> {
  const measure = c.expected.measure === 'yi' ? [] : ['--measure', c.expected.measure];
  const run = await runCli([
    'pool',
    '--csv',
    c.csvPath,
    '--method',
    c.expected.method,
    '--test',
    c.expected.test,
    ...measure,
    '--json',
  ]);
  if (run.code !== 0) throw new Error(`pool exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function checkModel(actual: Json, expected: ModelFields, method: string, where: string): void {
  expectClose(actual.k, expected.k, 0, `${where}k`);
  expectClose(actual.test, expected.model_test, 0, `${where}test`);
  expectClose(actual.df, expected.df, 0, `${where}df`);
  for (const field of ['estimate', 'se', 'stat', 'p', 'ci', 'I2', 'H2', 'Q', 'Q_df', 'Q_p', 'I2_Q'] as const)
    expectClose(actual[field], expected[field], TIGHT, `${where}${field}`);
  expectClose(actual.tau2, expected.tau2, method === 'PM' ? ROOT_FOUND : TIGHT, `${where}tau2`);
}

function checkEgger(actual: unknown, expected: EggerFields | undefined, field: string): void {
  if (expected === undefined) {
    expectClose(actual, undefined, 0, field);
    return;
  }
  const mine = (actual ?? {}) as Json;
  expectClose(mine.stat, expected.stat, TIGHT, `${field}.stat`);
  expectClose(mine.p, expected.p, TIGHT, `${field}.p`);
  expectClose(mine.df, expected.df, 0, `${field}.df`);
}

function checkEveryField(report: Json, expected: Expected): void {
  checkModel(report, expected, expected.method, '');
  expectClose(report.method, expected.method, 0, 'method');
  for (const field of ['pi', 'pi_riley'] as const) expectClose(report[field], expected[field], TIGHT, field);
  for (const field of ['tau2_ci', 'I2_ci', 'H2_ci'] as const)
    expectClose(report[field], expected[field], ROOT_FOUND, field);

  const studies = report.studies as { yi: number; vi: number; weight: number }[];
  expectClose(
    studies.map((s) => s.yi),
    expected.yi,
    TIGHT,
    'studies.yi',
  );
  expectClose(
    studies.map((s) => s.vi),
    expected.vi,
    TIGHT,
    'studies.vi',
  );
  expectClose(
    studies.map((s) => s.weight),
    expected.weights,
    TIGHT,
    'studies.weight',
  );
  expectClose(JSON.stringify(report.excluded), '[]', 0, 'excluded');

  checkEgger(report.egger, expected.egger, 'egger');
  checkEgger(report.egger_classical, expected.egger_classical, 'egger_classical');

  // Where metafor's trim-and-fill stops with an error there is nothing of metafor's to compare with.
  if (expected.trimfill_error === undefined) {
    const trimfill = report.trimfill as Json | undefined;
    const tf = expected.trimfill;
    expectClose(trimfill?.k0, tf?.k0, 0, 'trimfill.k0');
    expectClose(trimfill?.side, tf?.side, 0, 'trimfill.side');
    for (const field of ['estimate', 'se', 'ci'] as const)
      expectClose(trimfill?.[field], tf?.[field], TIGHT, `trimfill.${field}`);
    const filled = (trimfill?.filled ?? []) as { yi: number; vi: number }[];
    expectClose(
      filled.map((f) => f.yi),
      (tf?.filled ?? []).map((f) => f.yi),
      TIGHT,
      'trimfill.filled.yi',
    );
    expectClose(
      filled.map((f) => f.vi),
      (tf?.filled ?? []).map((f) => f.vi),
      TIGHT,
      'trimfill.filled.vi',
    );
  }

  const subgroups = expected.subgroups;
  if (subgroups) {
    const actual = report.subgroups as
      | { groups: { subgroup: string; result: Json }[]; revman: Json; metafor: Json }
      | undefined;
    if (!actual) throw new Error('subgroups: expected a subgroup analysis');
    expectClose(actual.groups.length, subgroups.groups.length, 0, 'subgroups.groups.length');
    subgroups.groups.forEach((group, i) => {
      const mine = actual.groups[i];
      expectClose(mine?.subgroup, group.subgroup, 0, `subgroups.groups[${i}].subgroup`);
      checkModel(mine?.result ?? {}, group, expected.method, `subgroups.groups[${i}].`);
    });
    for (const field of ['Q', 'p', 'I2'] as const)
      expectClose(actual.revman[field], subgroups.revman[field], TIGHT, `subgroups.revman.${field}`);
    expectClose(actual.revman.df, subgroups.revman.df, 0, 'subgroups.revman.df');
    for (const field of ['QM', 'p', 'tau2'] as const)
      expectClose(actual.metafor[field], subgroups.metafor[field], TIGHT, `subgroups.metafor.${field}`);
    expectClose(actual.metafor.df, subgroups.metafor.df, 0, 'subgroups.metafor.df');
    expectClose(actual.metafor.df2, subgroups.metafor.df2, 0, 'subgroups.metafor.df2');
  }

  // Where metafor switches from Hartung-Knapp to z, the report says so, and does not claim the studies agree.
  const warnings = (report.warnings as string[]).join(' ');
  if (expected.k === 1 && /agree exactly/.test(warnings))
    disagreements.push(`warnings: one study, yet "${warnings}"`);
  if (
    expected.metafor_notes.some((note) => /test="z" since k=1/.test(note)) &&
    !/Hartung-Knapp needs at least two studies/.test(warnings)
  )
    disagreements.push(`warnings: metafor notes the switch to z at k = 1; got "${warnings}"`);
}

describe('agreement with metafor 3.8-1 on the edge cases of issue 14', () => {
  for (const c of referenceCases('metafor-edges')) {
    it(`prints metafor's value for every field on ${c.name}`, async () => {
      const report = await poolJson(c);
      reportDisagreements(() => checkEveryField(report, c.expected as unknown as Expected));
    });
  }
});

describe('effects near 1e-6: agreement with the scale-invariant value', () => {
  for (const c of referenceCases('metafor-edges').filter((c) => 'scale_invariant' in c.expected)) {
    it(`finds the roots on the data's own scale for ${c.name}`, async () => {
      const report = await poolJson(c);
      const invariant = (c.expected as unknown as Expected).scale_invariant;
      reportDisagreements(() => {
        for (const field of ['tau2', 'tau2_ci', 'I2', 'I2_ci', 'estimate', 'se'] as const)
          expectClose(report[field], invariant?.[field], ROOT_FOUND, `scale_invariant.${field}`);
      });
    });
  }
});
