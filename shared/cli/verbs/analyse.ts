import { type AnalysisBody, reanalyse } from '#shared/analysis/reanalyse.ts';
import type { AnalysisEntry } from '#shared/analysis/run-plan.ts';
import { NotFoundError } from '#shared/errors.ts';
import { systemClock } from '#shared/store/ports.ts';
import { flag } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { printJson, type Verb } from '../verb.ts';

const fixed = (x: number | null) => (x === null ? '' : x.toFixed(2));

function line(a: AnalysisEntry): string {
  const what = `${a.timepoint} ${a.outcome} [${a.analysis}]`;
  if (!a.pooled || a.estimate === null || a.ci === null) return `${what}: ${a.k} trial(s), not pooled`;
  return `${what}: ${a.measure} ${fixed(a.estimate)} (${fixed(a.ci[0])} to ${fixed(a.ci[1])}), p = ${a.p?.toPrecision(2)}, ${a.evidence}; k = ${a.k}, n = ${a.n}, I² = ${Math.round(a.I2_Q ?? 0)}%`;
}

export const analyseVerb: Verb = {
  name: 'analyse',
  summary: "Run the review's analysis plan over the stored data and keep a new version when inputs changed",
  help: `Usage: living-review analyse [--review ID|FILE] [--data DIR | --table NAME] [--json]

Runs the analysis plan (main analysis as the review: random effects, DerSimonian-Laird; REML with Hartung-Knapp
beside it; sensitivity and subgroup analyses) over the included studies' outcome data. The same inputs give the
same hash and no new version; a changed input gives a new version with what changed, and a material change
(a conclusion label, the CI crossing zero, the estimate moving by more than 0.1, a trial added or removed) is
recorded for the team.

Options:
${REVIEW_HELP}
${STORE_HELP}
  --json                  one JSON object: { version, hash, createdAt, analyses, changes }
`,
  options: { ...reviewOption, ...storeOptions, json: { type: 'boolean' } },
  async run({ values }, io) {
    const latest = await withReviewStore(
      values,
      io,
      async ({ store, session, notifier }, review) => {
        await reanalyse(review, { store, clock: systemClock, session, notifier }, 'analyse');
        return store.latestAnalysisVersion();
      },
      { alerts: true },
    );
    if (!latest) throw new NotFoundError('no analysis version stored');
    const body = latest.body as AnalysisBody;
    if (flag(values, 'json')) {
      printJson(io, {
        version: latest.version,
        hash: latest.hash,
        createdAt: latest.createdAt,
        analyses: body.analyses,
        changes: body.changes,
      });
      return 0;
    }
    io.stdout(
      `analysis version ${latest.version} (${latest.createdAt}, inputs ${latest.hash.slice(0, 12)})\n`,
    );
    io.stdout(`${body.analyses.map(line).join('\n')}\n`);
    return 0;
  },
};
