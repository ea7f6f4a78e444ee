import { resolve } from 'node:path';
import { publishPage } from '#shared/cycle.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import { systemClock } from '#shared/store/ports.ts';
import { createWorkbench } from '#shared/web/app.ts';
import { localAuthenticator } from '#shared/web/local-auth.ts';
import { listenLocally } from '#shared/web/node-server.ts';
import { DATA_HELP, dataOption, teamNotifier } from '../local-store.ts';
import { optionalString } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import type { Verb } from '../verb.ts';
import { DEFAULT_SITE_DIR } from './publish.ts';
import { parsePort } from './serve.ts';

export const workbenchVerb: Verb = {
  name: 'workbench',
  summary: "Open the review team's workbench in the browser (screening, studies, extraction, imports)",
  help: `Usage: living-review workbench [--review ID|FILE] [--data DIR] [--site DIR] [--port N]

Serves the workbench on http://127.0.0.1 over the local store: sign in by picking your name and role (one
machine, no passwords), screen the queue with one-key decisions (blind dual screening; a lead settles
conflicts), include at full text with the review's reason codes, enter a study's outcome data, import RIS,
PubMed, ClinicalTrials.gov and outcome-data files, and see where the review stands. A change to what is included
or extracted re-runs the analysis and republishes the page in --site. Stops on Ctrl-C.

Options:
${REVIEW_HELP}
${DATA_HELP}
  --site DIR              where the page is republished (default ${DEFAULT_SITE_DIR})
  --port N                the port (default 8790; 0 picks a free one)
`,
  options: { ...reviewOption, ...dataOption, site: { type: 'string' }, port: { type: 'string' } },
  async run({ values }, io) {
    const site = resolve(io.cwd, optionalString(values, 'site') ?? DEFAULT_SITE_DIR);
    const port =
      optionalString(values, 'port') === undefined ? 8790 : parsePort(optionalString(values, 'port'));
    return withReviewStore(values, io, async ({ store }, review) => {
      const notifier = teamNotifier(values, io);
      const app = createWorkbench({
        review,
        store,
        clock: systemClock,
        notifier,
        auth: localAuthenticator(),
        cookies: { secure: false },
        publish: () =>
          publishPage({
            review,
            store,
            clock: systemClock,
            notifier,
            site: localFolderWriter(site),
            siteLocation: site,
          }),
      });
      const running = await listenLocally(app, port);
      io.stdout(`Workbench for ${review.id} at ${running.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((stop) => {
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
      return 0;
    });
  },
};
