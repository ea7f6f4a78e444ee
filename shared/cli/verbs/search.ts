import { fileURLToPath } from 'node:url';
import { ConfigError, InputError } from '#shared/errors.ts';
import { sourceConfigFromEnv } from '#shared/sources/config.ts';
import { describeRequest } from '#shared/sources/http.ts';
import { createSourcePorts } from '#shared/sources/ports.ts';
import { formatProgress } from '#shared/sources/progress.ts';
import { loadCassette } from '#shared/sources/replay/cassette.ts';
import { startReplayServer } from '#shared/sources/replay/server.ts';
import { type SearchableSource, searchSource } from '#shared/sources/search-source.ts';
import { checkedWindow, formatDay, parseDay } from '#shared/sources/window.ts';
import { flag, optionalString } from '../options.ts';
import { REVIEW_HELP, reviewFrom, reviewOption } from '../review-option.ts';
import { printJson, type Verb } from '../verb.ts';
import { printRecords } from './parse.ts';

const SOURCES = ['pubmed', 'ctgov'] as const;
const OFFLINE_CASSETTE = fileURLToPath(
  new URL('../../../test/fixtures/recordings/offline.json', import.meta.url),
);

export const searchVerb: Verb = {
  name: 'search',
  summary: "Run the review's search against PubMed or ClinicalTrials.gov for a date window",
  help: `Usage: living-review search pubmed|ctgov [--review ID|FILE] [--since DATE] [--until DATE] [--offline] [--json]

Runs the review's query (its file's PubMed blocks AND its filter; for ClinicalTrials.gov its intervention and term
blocks with its AREA[DesignAllocation] value) for records created or entered (PubMed [crdt]/[edat])
or updated (ClinicalTrials.gov LastUpdatePostDate) between the two dates, and prints the normalised records.
Progress (requests, records so far, expected total) goes to stderr.

Options:
${REVIEW_HELP}
  --since DATE   first day, YYYY-MM-DD (default: the review's last search date)
  --until DATE   last day, YYYY-MM-DD (default: today)
  --offline      answer from the recorded responses in test/fixtures/recordings/offline.json through a local
                 replay server (same code path, only the base URL differs)
  --cassette F   with --offline: another recordings file
  --json         one JSON object: { source, window, records: [...], deleted: [pmids] }

Environment: NCBI_EMAIL (required for PubMed online), NCBI_API_KEY (optional: 10 requests/s instead of 3),
NCBI_TOOL (default living-review), PUBMED_BASE_URL, CTGOV_BASE_URL.
`,
  options: {
    ...reviewOption,
    since: { type: 'string' },
    until: { type: 'string' },
    offline: { type: 'boolean' },
    cassette: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, io) {
    const source = positionals[0] as SearchableSource;
    if (!SOURCES.includes(source)) {
      throw new InputError(`the source must be one of ${SOURCES.join(', ')} (got ${JSON.stringify(source)})`);
    }
    const { search } = reviewFrom(values, io);
    const since = optionalString(values, 'since') ?? search.lastSearchDate;
    const until = optionalString(values, 'until') ?? formatDay(Date.now());
    parseDay(since, '--since');
    parseDay(until, '--until');
    const window = checkedWindow({ from: since, until });
    const offline = flag(values, 'offline');
    const cassette = optionalString(values, 'cassette');
    if (cassette !== undefined && !offline) throw new InputError('--cassette needs --offline');

    const replay = offline ? await startReplayServer(loadCassette(cassette ?? OFFLINE_CASSETTE)) : undefined;
    try {
      const config = sourceConfigFromEnv(
        replay
          ? {
              ...io.env,
              PUBMED_BASE_URL: `${replay.baseUrl}/entrez/eutils`,
              CTGOV_BASE_URL: `${replay.baseUrl}/api/v2`,
            }
          : io.env,
      );
      if (!replay && source === 'pubmed' && config.ncbiEmail === undefined) {
        throw new ConfigError(
          'NCBI_EMAIL is required for PubMed searches: NCBI asks every tool for a contact address',
        );
      }
      const ports = createSourcePorts(config, search, {
        onProgress: (progress) => io.stderr(`${formatProgress(progress)}\n`),
        http: {
          onEvent: (event) => {
            if (event.type !== 'retry') return;
            io.stderr(
              `${source}: ${describeRequest(event.request)} attempt ${event.attempt} failed (${event.reason}); retrying in ${event.waitMs} ms\n`,
            );
          },
        },
      });
      const result = await searchSource(source, window, ports);
      if (flag(values, 'json')) {
        printJson(io, { source, window, records: result.records, deleted: result.deleted });
      } else {
        io.stdout(`${source} ${window.from}..${window.until}\n`);
        printRecords(io, result.records, result.deleted);
      }
      return 0;
    } finally {
      await replay?.close();
    }
  },
};
