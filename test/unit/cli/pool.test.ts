import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '#test/support/cli.ts';
import { expectClose } from '#test/support/reference-cases.ts';
import { tempFile } from '#test/support/temp-files.ts';
import expected from '../../fixtures/metafor/normand1999-SMD-REML-knha.json' with { type: 'json' };

const normand = join(import.meta.dirname, '..', '..', 'fixtures', 'metafor', 'normand1999-SMD-REML-knha.csv');
const header = 'study,m1i,sd1i,n1i,m2i,sd2i,n2i';
const rows = ['A,10,4,20,8,4,21', 'B,12,5,30,11,5,30', 'C,9,3,15,9.5,3,16'];

async function poolCsv(content: string | Uint8Array, ...flags: string[]) {
  return runCli(['pool', '--csv', tempFile('input.csv', content), ...flags]);
}

describe('living-review pool', () => {
  it("prints metafor's numbers as one JSON document for the REML Hartung-Knapp reference case", async () => {
    const run = await runCli(['pool', '--csv', normand, '--method', 'REML', '--test', 'knha', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    for (const field of [
      'k',
      'estimate',
      'se',
      'stat',
      'p',
      'ci',
      'pi',
      'tau2',
      'I2',
      'H2',
      'Q',
      'Q_df',
      'Q_p',
    ]) {
      expectClose(report[field], (expected as Record<string, unknown>)[field], 1e-6, field);
    }
    expectClose(report.tau2_ci, expected.tau2_ci, 1e-4, 'tau2_ci');
    expectClose(report.I2_ci, expected.I2_ci, 1e-4, 'I2_ci');
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining([
        'measure',
        'method',
        'test',
        'I2_Q',
        'studies',
        'excluded',
        'egger',
        'trimfill',
      ]),
    );
  });

  it('prints a readable summary with a text forest plot without --json', async () => {
    const run = await runCli(['pool', '--csv', normand]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Pooled SMD from 9 studies \(REML, Wald z, metafor profile\)/);
    expect(run.stdout).toMatch(/^Umea .*■.*%$/m);
    expect(run.stdout).toMatch(/^Pooled .*◆/m);
  });

  it('lists a row with an NA cell under excluded and pools the rest', async () => {
    const run = await poolCsv([header, ...rows, 'D,NA,4,20,8,4,21'].join('\n'), '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.k).toBe(3);
    expect(report.excluded).toEqual([{ study: 'D', reason: 'no usable data: m1i empty or NA' }]);
  });

  it('lists a row with an empty cell under excluded', async () => {
    const run = await poolCsv([header, ...rows, 'E,10,,20,8,4,21'].join('\n'), '--json');
    expect(JSON.parse(run.stdout).excluded).toEqual([
      { study: 'E', reason: 'no usable data: sd1i empty or NA' },
    ]);
  });

  it('accepts quoted fields, CRLF line ends and a byte-order mark', async () => {
    const content = `\uFEFF"study","m1i","sd1i","n1i","m2i","sd2i","n2i"\r\n"Smith, J ""2019""",10,4,20,8,4,21\r\n${rows.slice(1).join('\r\n')}\r\n`;
    const run = await poolCsv(content, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).studies[0].study).toBe('Smith, J "2019"');
  });

  it('accepts columns in any order and a subgroup column', async () => {
    const content = [
      'subgroup,study,yi,vi',
      'x,A,0.1,0.02',
      'x,B,0.3,0.03',
      'y,C,0.5,0.04',
      'y,D,0.2,0.05',
    ].join('\n');
    const run = await poolCsv(content, '--json');
    const report = JSON.parse(run.stdout);
    expect(report.measure).toBe('yi');
    expect(report.subgroups.groups.map((g: { subgroup: string }) => g.subgroup)).toEqual(['x', 'y']);
    expect(report.subgroups.revman.df).toBe(1);
  });

  it.each([
    ['an empty', ''],
    ['an NA', 'NA'],
  ])(
    'keeps a study with %s subgroup cell in the overall pool and leaves it out of the subgroups only',
    async (_, cell) => {
      const content = [
        'study,yi,vi,subgroup',
        'A,0.1,0.02,x',
        `B,0.3,0.02,${cell}`,
        'C,0.5,0.03,y',
        'D,0.4,0.01,y',
        'E,0.2,0.04,x',
      ];
      const run = await poolCsv(content.join('\n'), '--json');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.k).toBe(5);
      expect(report.excluded).toEqual([]);
      expect(report.subgroups.groups.map((g: { result: { k: number } }) => g.result.k)).toEqual([2, 2]);
      expect(report.warnings).toContain(
        '"B" has an empty subgroup cell: pooled overall, left out of the subgroup analysis',
      );
    },
  );

  it.each([
    [
      'a negative SD',
      'F,10,-4,20,8,4,21',
      /line 5 \(study "F"\), column sd1i: a standard deviation cannot be negative/,
    ],
    [
      'n below 2',
      'F,10,4,1,8,4,21',
      /line 5 \(study "F"\), column n1i: a group size must be a whole number of at least 2/,
    ],
    [
      'text in a number column',
      'F,10,4,20,eight,4,21',
      /line 5 \(study "F"\), column m2i: "eight" is not a number/,
    ],
    ['too few fields', 'F,10,4,20', /line 5: 4 fields, but the header has 7/],
  ])('exits 2 naming the row and column for %s, printing nothing on stdout', async (_, bad, message) => {
    const run = await poolCsv([header, ...rows, bad].join('\n'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('exits 2 for an unknown set of columns', async () => {
    const run = await poolCsv('study,mean,sd,n\nA,1,2,3\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown set of columns \(study,mean,sd,n\)/);
    expect(run.stdout).toBe('');
  });

  it('hints at the separator for a semicolon-separated file with decimal commas', async () => {
    const run = await poolCsv('study;yi;vi\nA;0,35;0,02\nB;0,1;0,03\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/input\.csv: header: unknown set of columns \(study;yi;vi\)/);
    expect(run.stderr).toMatch(
      /looks semicolon-separated.*Save it comma-separated, with points as decimal marks/,
    );
    expect(run.stdout).toBe('');
  });

  it("names the column's exact lower-case name for a Study column", async () => {
    const run = await poolCsv('Study,yi,vi\nA,0.35,0.02\nB,0.1,0.03\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Column names are lower-case, exactly as listed: "Study" should be "study"/);
  });

  it.each<[string, string, RegExp, ...string[]]>([
    [
      'an effect of 1e300',
      'study,yi,vi\nA,0.1,0.02\nHuge,1e300,0.01\nC,0.2,0.03\n',
      /input\.csv: line 3 \(study "Huge"\), column yi: effect size 1e\+300 is too large to pool/,
    ],
    [
      'a variance of 5e-324',
      'study,yi,vi\nA,0.1,0.02\nTiny,0.2,5e-324\nC,0.2,0.03\n',
      /input\.csv: line 3 \(study "Tiny"\), column vi: variance 5e-324 is too small to pool/,
    ],
    [
      'standard deviations near 1e200',
      `${header}\n${rows[0]}\nWide,10,1e200,20,8,2e200,21\n${rows[1]}\n`,
      /input\.csv: line 3 \(study "Wide"\), column sd1i: a standard deviation of 1e\+200 is too large/,
    ],
    [
      'a Paule-Mandel tau² beyond its search interval (metafor: "tau2.max too low")',
      'study,yi,vi\nA,50,0.01\nB,0.3,0.02\nC,0.2,0.03\n',
      /input\.csv: cannot pool these studies: the Paule-Mandel tau² exceeds 100/,
      '--method',
      'PM',
    ],
  ])('exits 2 naming the file (and line) for %s', async (_, content, message, ...flags) => {
    const run = await poolCsv(content, ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('warns as metafor does when the variances span 1e7 or more', async () => {
    const run = await poolCsv('study,yi,vi\nA,0.1,1e-10\nB,0.3,0.02\nC,0.5,0.03\n', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).warnings).toContain(
      'the largest sampling variance is 3.00e+8 times the smallest: results may not be stable (metafor warns the same)',
    );
  });

  it('exits 2 for a zero variance in effect-level data, naming the study', async () => {
    const run = await poolCsv('study,yi,vi\nA,0.1,0.02\nZero,0.2,0\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/line 3 \(study "Zero"\), column vi: a sampling variance must be positive/);
  });

  it('prints the classical Egger test on identical effects as not estimable, null in JSON, as metafor (NaN)', async () => {
    const identical = ['study,yi,vi', 'A,0.5,0.04', 'B,0.5,0.05', 'C,0.5,0.03', 'D,0.5,0.06'].join('\n');
    const json = await poolCsv(identical, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).egger_classical).toEqual({ stat: null, p: null, df: 2 });
    const text = await poolCsv(identical);
    expect(text.stdout).toMatch(/Egger's test \(classical, 1997\): not estimable/);
  });

  it('exits 2 for an unknown method', async () => {
    const run = await runCli(['pool', '--csv', normand, '--method', 'HS']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--method must be one of DL, REML, PM/);
  });

  it('exits 2 for a missing file', async () => {
    const run = await runCli(['pool', '--csv', '/nonexistent/studies.csv']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read \/nonexistent\/studies.csv/);
  });

  it('shows its options with --help', async () => {
    const run = await runCli(['pool', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--profile metafor\|revman/);
  });
});
