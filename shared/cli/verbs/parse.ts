import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '#shared/errors.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { parseCtgovJson } from '#shared/sources/ctgov/parse.ts';
import { parsePubmedStream } from '#shared/sources/pubmed/parse.ts';
import { flag } from '../options.ts';
import { type CliIO, printJson, type Verb } from '../verb.ts';

const FORMATS = ['pubmed', 'ctgov'] as const;
type Format = (typeof FORMATS)[number];

async function parseFile(format: Format, path: string): Promise<{ records: BibRecord[]; deleted: string[] }> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new InputError(`no such file: ${path}`);
  try {
    if (format === 'ctgov') return { records: parseCtgovJson(await readFile(path, 'utf8')), deleted: [] };
    const result = { records: [] as BibRecord[], deleted: [] as string[] };
    for await (const batch of parsePubmedStream(createReadStream(path))) {
      result.records.push(...batch.records);
      result.deleted.push(...batch.deleted);
    }
    return result;
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${path}: ${error.message}`);
    throw error;
  }
}

export function printRecords(io: CliIO, records: BibRecord[], deleted: string[]): void {
  for (const record of records) {
    io.stdout(`${record.id}\t${record.year ?? '----'}\t${record.title}\n`);
  }
  io.stdout(
    `${records.length} record(s)${deleted.length > 0 ? `, ${deleted.length} deleted: ${deleted.join(' ')}` : ''}\n`,
  );
}

export const parseVerb: Verb = {
  name: 'parse',
  summary: 'Parse a PubMed efetch XML or ClinicalTrials.gov JSON file into normalised records',
  help: `Usage: living-review parse pubmed|ctgov FILE [--json]

Reads FILE and prints the normalised records (the same ones a search stores).
  pubmed   efetch XML (db=pubmed, retmode=xml): PubmedArticle, PubmedBookArticle, DeleteCitation; parsed
           batch by batch, so memory stays bounded however large the file
  ctgov    ClinicalTrials.gov API v2 JSON: one study, or a search page { studies: [...] }

A malformed or truncated file exits with status 2, a message on stderr and nothing on stdout.

Options:
  --json   one JSON object: { records: [...], deleted: [pmids] }
`,
  options: { json: { type: 'boolean' } },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals }, io) {
    const [format, file] = positionals as [string, string];
    if (!FORMATS.includes(format as Format)) {
      throw new InputError(`the format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
    }
    const { records, deleted } = await parseFile(format as Format, resolve(io.cwd, file));
    if (flag(values, 'json')) printJson(io, { records, deleted });
    else printRecords(io, records, deleted);
    return 0;
  },
};
