import { queueFor } from '#shared/screening/queue.ts';
import { screeningQueue } from '#shared/screening/screen.ts';
import { flag, optionalString } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { printJson, type Verb } from '../verb.ts';

export const queueVerb: Verb = {
  name: 'queue',
  summary: 'List records waiting for a screening decision, and why',
  help: `Usage: living-review queue [--reviewer NAME] [--review ID|FILE] [--data DIR | --table NAME] [--json]

Lists every record still waiting for a decision (title/abstract, second reviewer, conflict for a third reviewer,
full text): id, title, year, source, identifiers and why it is queued.

Options:
  --reviewer NAME         only what NAME has not decided yet (e.g. the second look at a dual-sample record)
${REVIEW_HELP}
${STORE_HELP}
  --json                  one JSON array on stdout
`,
  options: { ...reviewOption, ...storeOptions, reviewer: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const reviewer = optionalString(values, 'reviewer');
    const all = await withReviewStore(values, io, ({ store }) => screeningQueue(store));
    const queue = reviewer ? queueFor(all, reviewer.trim()) : all;
    if (flag(values, 'json')) {
      printJson(io, queue);
      return 0;
    }
    if (queue.length === 0) {
      io.stdout('Nothing to screen.\n');
      return 0;
    }
    for (const item of queue) {
      const ids = [...item.ids.pmids.map((p) => `PMID ${p}`), ...item.ids.dois, ...item.ids.nctIds];
      const study = item.study.length > 0 ? `; study ${item.study.join(', ')}` : '';
      io.stdout(
        `${item.id}  [${item.stage}${item.conflict ? ', CONFLICT' : ''}]  ${item.title} (${item.year ?? 'n.d.'})\n    ${ids.join(', ') || 'no identifiers'}${study}; ${item.why}\n`,
      );
    }
    return 0;
  },
};
