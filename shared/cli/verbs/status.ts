import { reviewStatus } from '#shared/screening/screen.ts';
import { DATA_HELP, dataOption, withLocalStore } from '../local-store.ts';
import { flag } from '../options.ts';
import { printJson, type Verb } from '../verb.ts';

function formatKappa(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2);
}

export const statusVerb: Verb = {
  name: 'status',
  summary: 'Records, duplicates, screening queue, agreement and PRISMA counts from the store',
  help: `Usage: living-review status [--data DIR] [--json]

Counts unique records, duplicate copies folded into them, the screening queue (pending, conflicts), included
records, Cohen's kappa of the dual-screening sample and the PRISMA 2020 flow (cumulative and per update cycle),
all derived from the store, plus each source's last successful poll.

Options:
${DATA_HELP}
  --json                  one JSON object on stdout
`,
  options: { ...dataOption, json: { type: 'boolean' } },
  async run({ values }, io) {
    const status = await withLocalStore(values, io, ({ store }) => reviewStatus(store));
    if (flag(values, 'json')) {
      printJson(io, status);
      return 0;
    }
    const flow = status.prisma;
    const kappa = status.agreement.titleAbstract;
    const lines = [
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
