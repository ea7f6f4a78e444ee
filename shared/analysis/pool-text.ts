/** The human-readable `pool` summary: the pooled result in words and a text forest plot. */
import type { PoolReport } from './pool-report.ts';
import type { EggerTest } from './small-study.ts';

const PLOT_WIDTH = 41;

const fixed = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'NA');
const pValue = (p: number) => (!Number.isFinite(p) ? 'NA' : p < 0.001 ? '< 0.001' : p.toFixed(3));
const interval = ([lb, ub]: [number, number]) => `[${fixed(lb)}, ${fixed(ub)}]`;

/** A test statistic and its p, or "not estimable" when they are 0/0 (an exact fit; JSON null). */
function eggerLine(name: string, test: EggerTest): string {
  if (!Number.isFinite(test.stat) && !Number.isFinite(test.p))
    return `  ${name}: not estimable (the regression line fits every study exactly)`;
  const statName = test.df === null ? 'z' : `t(${test.df})`;
  return `  ${name}: ${statName} = ${fixed(test.stat, 3)}, p ${pValue(test.p)}`;
}

function forestPlot(report: PoolReport): string[] {
  const rows = report.studies.map((s) => {
    const half = 1.959963984540054 * Math.sqrt(s.vi);
    return { label: s.study, centre: s.yi, lb: s.yi - half, ub: s.yi + half, weight: s.weight };
  });
  const lows = [...rows.map((r) => r.lb), report.ci[0], 0].filter(Number.isFinite);
  const highs = [...rows.map((r) => r.ub), report.ci[1], 0].filter(Number.isFinite);
  const min = Math.min(...lows);
  const max = Math.max(...highs);
  const column = (x: number) => Math.round(((x - min) / (max - min || 1)) * (PLOT_WIDTH - 1));
  const labelWidth = Math.max(8, ...rows.map((r) => r.label.length));
  const draw = (lb: number, ub: number, centre: number, mark: string) => {
    const line = new Array<string>(PLOT_WIDTH).fill(' ');
    line[column(0)] = '|';
    for (let c = column(lb); c <= column(ub); c++) line[c] = '-';
    line[column(centre)] = mark;
    return line.join('');
  };
  const lines = rows.map(
    (r) =>
      `${r.label.padEnd(labelWidth)}  ${draw(r.lb, r.ub, r.centre, '■')}  ${fixed(r.centre).padStart(6)} ${interval([r.lb, r.ub]).padEnd(16)} ${fixed(r.weight, 1).padStart(5)}%`,
  );
  lines.push(
    `${'Pooled'.padEnd(labelWidth)}  ${draw(report.ci[0], report.ci[1], report.estimate, '◆')}  ${fixed(report.estimate).padStart(6)} ${interval(report.ci)}`,
  );
  return lines;
}

export function formatPoolReport(report: PoolReport): string {
  const statName = report.test === 'knha' ? `t(${report.df})` : 'z';
  const lines = [
    `Pooled ${report.measure} from ${report.k} studies (${report.method}, ${report.test === 'knha' ? 'Hartung-Knapp' : 'Wald z'}, ${report.profile} profile)`,
    `  estimate ${fixed(report.estimate, 4)}  95% CI ${interval(report.ci)}  ${statName} = ${fixed(report.stat, 3)}  p ${pValue(report.p)}`,
    `  95% prediction interval ${interval(report.pi)}`,
    `  tau² = ${fixed(report.tau2, 4)}${report.tau2_ci ? ` ${interval(report.tau2_ci)}` : ''}  I² = ${fixed(report.I2, 1)}%${report.I2_ci ? ` [${fixed(report.I2_ci[0], 1)}, ${fixed(report.I2_ci[1], 1)}]` : ''}  H² = ${fixed(report.H2, 2)}`,
    `  Q = ${fixed(report.Q, 2)}, df = ${report.Q_df}, p ${pValue(report.Q_p)}; Q-based I² = ${fixed(report.I2_Q, 1)}%`,
  ];
  if (report.egger) lines.push(eggerLine("Egger's test", report.egger));
  if (report.egger_classical) lines.push(eggerLine("Egger's test (classical, 1997)", report.egger_classical));
  if (report.trimfill) {
    lines.push(
      `  Trim-and-fill (L0): ${report.trimfill.k0} studies filled on the ${report.trimfill.side}; adjusted estimate ${fixed(report.trimfill.estimate, 4)} ${interval(report.trimfill.ci)}`,
    );
  }
  lines.push('', ...forestPlot(report));
  if (report.subgroups) {
    lines.push('', 'Subgroups:');
    for (const group of report.subgroups.groups) {
      lines.push(
        `  ${group.subgroup}: k = ${group.result.k}, ${fixed(group.result.estimate, 4)} ${interval(group.result.ci)}, I² = ${fixed(group.result.I2_Q, 1)}%`,
      );
    }
    const { revman, metafor } = report.subgroups;
    lines.push(
      `  Test for subgroup differences (RevMan): Chi² = ${fixed(revman.Q, 2)}, df = ${revman.df}, p ${pValue(revman.p)}, I² = ${fixed(revman.I2, 1)}%`,
      `  Moderator test, common tau² (metafor): QM = ${fixed(metafor.QM, 2)}, df = ${metafor.df}${metafor.df2 === null ? '' : `, ${metafor.df2}`}, p ${pValue(metafor.p)}`,
    );
  }
  for (const excluded of report.excluded) lines.push(`Excluded: ${excluded.study}: ${excluded.reason}`);
  for (const warning of report.warnings) lines.push(`Note: ${warning}`);
  return `${lines.join('\n')}\n`;
}
