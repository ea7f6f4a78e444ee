import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { poolFromCsv } from '#shared/analysis/pool-report.ts';
import { formatPoolReport } from '#shared/analysis/pool-text.ts';
import { InputError, messageOf } from '#shared/errors.ts';
import { choice, flag, requiredString } from '../options.ts';
import { printJson, type Verb } from '../verb.ts';

export const poolVerb: Verb = {
  name: 'pool',
  summary: 'Meta-analyse a CSV of studies (metafor or RevMan 5 formulas)',
  help: `Usage: living-review pool --csv FILE [--measure SMD|MD] [--method DL|REML|PM] [--test z|knha]
                           [--profile metafor|revman] [--json]

Pools the studies in FILE with inverse-variance weights and a random-effects variance.

FILE is a CSV with a header, either arm-level
  study,m1i,sd1i,n1i,m2i,sd2i,n2i      (arm 1 = intervention, arm 2 = control)
or effect-level
  study,yi,vi
each with an optional subgroup column. Quoted fields, CRLF and a byte-order mark are fine.
A row with an empty or NA cell is listed under "excluded" (one with only its subgroup cell empty is pooled
overall and left out of the subgroup analysis); any other bad value stops with exit code 2.

Options:
  --measure SMD|MD        arm-level effect: Hedges' g (default) or mean difference
  --method DL|REML|PM     tau² estimator (metafor profile default REML; revman profile default DL)
  --test z|knha           Wald z (default) or Hartung-Knapp t with k-1 df (z with one study, as metafor)
  --profile metafor|revman
                          metafor (default): exact Hedges correction, metafor's variance and I²
                          revman: RevMan 5 SMD formulas, DerSimonian-Laird, z, Q-based I²
  --json                  one JSON object on stdout
`,
  options: {
    csv: { type: 'string' },
    measure: { type: 'string' },
    method: { type: 'string' },
    test: { type: 'string' },
    profile: { type: 'string' },
    json: { type: 'boolean' },
  },
  run({ values }, io) {
    const path = resolve(io.cwd, requiredString(values, 'csv'));
    const profile = choice(values, 'profile', ['metafor', 'revman'] as const, 'metafor');
    const request = {
      profile,
      ...(values.measure !== undefined
        ? { measure: choice(values, 'measure', ['SMD', 'MD'] as const, 'SMD') }
        : {}),
      ...(values.method !== undefined
        ? { method: choice(values, 'method', ['DL', 'REML', 'PM'] as const, 'REML') }
        : {}),
      ...(values.test !== undefined ? { test: choice(values, 'test', ['z', 'knha'] as const, 'z') } : {}),
    };
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${path}: ${messageOf(error)}`);
    }
    let report: ReturnType<typeof poolFromCsv>;
    try {
      report = poolFromCsv(text, request);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${path}: ${error.message}`);
      throw error;
    }
    if (flag(values, 'json')) printJson(io, report);
    else io.stdout(formatPoolReport(report));
    return 0;
  },
};
