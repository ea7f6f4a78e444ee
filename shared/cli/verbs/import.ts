import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, messageOf } from '#shared/errors.ts';
import { completeAbandonedBatches, ingest } from '#shared/records/ingest.ts';
import { readRecordFile, recordFileFormat } from '#shared/records/read-file.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { systemClock } from '#shared/store/ports.ts';
import { flag, optionalString } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { printJson, type Verb } from '../verb.ts';

function parseFile(format: string, path: string): BibRecord[] {
  recordFileFormat(format);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${messageOf(error)}`);
  }
  return readRecordFile(format, bytes, path);
}

export const importVerb: Verb = {
  name: 'import',
  summary: 'Import a PubMed XML, ClinicalTrials.gov JSON or RIS file through de-duplication',
  help: `Usage: living-review import pubmed|ctgov|ris FILE [--review ID|FILE] [--data DIR | --table NAME]
                             [--cycle NAME] [--alert] [--json]

Reads FILE (PubMed efetch XML, ClinicalTrials.gov API v2 JSON, or RIS as exported by PsycINFO, Embase, CENTRAL,
EndNote, Zotero), de-duplicates every record against the store (PMID, DOI, NCT id, then title + year + first
author) and queues each new unique record for title/abstract screening. Re-importing a file changes nothing.
The whole file is parsed before anything is stored: a bad file stores nothing. An import that was killed half-way
is completed by running it again, as if it had never stopped.

Options:
${REVIEW_HELP}
${STORE_HELP}
  --cycle NAME            update cycle the records belong to in PRISMA counts (default: today's UTC date)
  --alert                 also send the digest of what is new (printed and written to DIR/alerts/<date>.md; with
                          --table, to the deployment's alert topic); nothing is sent when nothing is new, and no
                          record is alerted twice
  --json                  one JSON object on stdout: new, duplicates (with the key that matched), linked...
`,
  options: {
    ...reviewOption,
    ...storeOptions,
    cycle: { type: 'string' },
    alert: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals }, io) {
    const [format = '', file = ''] = positionals;
    const records = parseFile(format, resolve(io.cwd, file));
    const cycle = optionalString(values, 'cycle');
    const result = await withReviewStore(
      values,
      io,
      async ({ store, session, notifier }, { eligibility: review }) => {
        // The notifier is there even without --alert: a digest an earlier run left unsent goes out first.
        const ports = { store, clock: systemClock, session, notifier };
        const ingested = await ingest(records, ports, {
          dualFraction: review.dualFraction,
          label: `import ${format}`,
          ...(cycle ? { cycle } : {}),
          ...(flag(values, 'alert') ? { alert: { keywords: review.keywords } } : {}),
        });
        // Whatever a killed run left that this import did not continue is completed too.
        await completeAbandonedBatches(ports);
        return ingested;
      },
      // With --json stdout carries exactly one JSON document, so a digest is printed on stderr.
      { alerts: flag(values, 'alert'), print: flag(values, 'json') ? io.stderr : io.stdout },
    );
    if (flag(values, 'json')) {
      printJson(io, result);
      return 0;
    }
    const lines = [
      `${records.length} record(s) read from ${file}: ${result.new.length} new, ${result.duplicates.length} duplicate, ${result.linked.length} linked, ${result.unchanged.length} already stored, ${result.updated.length} updated`,
      ...result.new.map(
        (entry) => `  new        ${entry.id}${entry.dual ? ' (dual screening)' : ''}  ${entry.title}`,
      ),
      ...result.duplicates.map(
        (entry) =>
          `  duplicate  ${entry.id} -> ${entry.canonicalId} (matched ${entry.matchedKey.kind} ${entry.matchedKey.value})`,
      ),
      ...result.linked.map((entry) => `  linked     ${entry.id} -> study ${entry.nctId} (${entry.via})`),
      ...result.registryChanges.map(
        (entry) =>
          `  registry   ${entry.id}: ${entry.from.status ?? '?'} -> ${entry.to.status}${entry.to.hasResults && !entry.from.hasResults ? ', results posted' : ''}`,
      ),
      ...result.retractions.map(
        (entry) =>
          `  RETRACTED  ${entry.id}${entry.included ? ` (included record ${entry.canonicalId})` : ''}`,
      ),
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
