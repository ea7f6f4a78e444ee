import { reviewStatus } from '#shared/screening/screen.ts';
import { flag } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { printJson, type Verb } from '../verb.ts';

function formatKappa(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2);
}

export const statusVerb: Verb = {
  name: 'status',
  summary: 'Records, duplicates, screening queue, agreement and PRISMA counts from the store',
  help: `Usage: living-review status [--review ID|FILE] [--data DIR | --table NAME] [--json]

Counts unique records, duplicate copies folded into them, the screening queue (pending, conflicts), included
records, Cohen's kappa of the dual-screening sample and the PRISMA 2020 flow (cumulative and per update cycle),
all derived from the store, plus each source's last successful poll.

Options:
${REVIEW_HELP}
${STORE_HELP}
  --json                  one JSON object on stdout
`,
  options: { ...reviewOption, ...storeOptions, json: { type: 'boolean' } },
  async run({ values }, io) {
    const { status, review } = await withReviewStore(values, io, async ({ store }, review) => ({
      status: await reviewStatus(store),
      review: { id: review.id, title: review.title, file: review.file },
    }));
    if (flag(values, 'json')) {
      printJson(io, { review, ...status });
      return 0;
    }
    const flow = status.prisma;
    const kappa = status.agreement.titleAbstract;
    const lines = [
      `review: ${review.id} (${review.title}), from ${review.file}`,
      `records: ${status.records} unique, ${status.duplicates} duplicate copies folded in`,
      `queue: ${status.queue.pending} pending, ${status.queue.conflicts} conflicts`,
      `included: ${status.included}`,
      `agreement (title/abstract): ${kappa.pairs} dual-screened, kappa ${formatKappa(kappa.kappa)}`,
      `PRISMA: identified ${flow.identified.total} (pubmed ${flow.identified.pubmed}, ctgov ${flow.identified.ctgov}, ris ${flow.identified.ris}); duplicates removed ${flow.duplicatesRemoved}; screened ${flow.screened}; excluded ${flow.excludedTitleAbstract}; full texts assessed ${flow.fullTextAssessed}; excluded with reasons ${flow.excludedFullText.total}; included ${flow.included}`,
      `sources: pubmed last success ${status.sources.pubmed.lastSuccess ?? 'never'}, ctgov last success ${status.sources.ctgov.lastSuccess ?? 'never'}`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
