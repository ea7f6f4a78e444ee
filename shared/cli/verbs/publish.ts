import { resolve } from 'node:path';
import { publishPage } from '#shared/cycle.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import { systemClock } from '#shared/store/ports.ts';
import { flag, optionalString } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { printJson, type Verb } from '../verb.ts';

export const DEFAULT_SITE_DIR = './site';

export const publishVerb: Verb = {
  name: 'publish',
  summary: 'Write the static summary page of the latest analysis to a folder',
  help: `Usage: living-review publish [--review ID|FILE] [--site DIR] [--data DIR | --table NAME] [--json]

Builds the living page from the store: summary of findings beside the published review's values, forest plots, PRISMA
flow, included and excluded studies, risk of bias, version history, analysis.json, data.csv and an Atom feed.
Only files whose bytes changed are written. Preview it with 'living-review serve'.

Options:
  --site DIR              where the site goes (default ${DEFAULT_SITE_DIR})
${REVIEW_HELP}
${STORE_HELP}
  --json                  one JSON object: files written, unchanged and removed
`,
  options: { ...reviewOption, ...storeOptions, site: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const site = resolve(io.cwd, optionalString(values, 'site') ?? DEFAULT_SITE_DIR);
    const summary = await withReviewStore(
      values,
      io,
      ({ store, session, notifier }, review) =>
        publishPage({
          review,
          store,
          clock: systemClock,
          session,
          notifier,
          site: localFolderWriter(site),
          siteLocation: site,
        }),
      { alerts: true },
    );
    if (flag(values, 'json')) {
      printJson(io, summary);
      return 0;
    }
    io.stdout(
      `published analysis version ${summary.analysisVersion} to ${site}: ${summary.written.length} written, ${summary.unchanged.length} unchanged, ${summary.removed.length} removed\n`,
    );
    return 0;
  },
};
