import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, messageOf } from '#shared/errors.ts';
import { toCsv, toRis } from '#shared/records/export.ts';
import { loadReview } from '#shared/screening/view.ts';
import { choice, optionalString, requiredString } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import type { Verb } from '../verb.ts';

export const exportVerb: Verb = {
  name: 'export',
  summary: 'Export the unique records as RIS or CSV for reference managers and screening tools',
  help: `Usage: living-review export --format ris|csv [--out FILE] [--review ID|FILE] [--data DIR | --table NAME]

Writes every unique record (identifiers gathered from all its source copies, screening status, retraction
flag) as RIS or CSV to stdout, or to FILE with --out.

Options:
  --format ris|csv        output format
  --out FILE              write to FILE instead of stdout
${REVIEW_HELP}
${STORE_HELP}
`,
  options: { ...reviewOption, ...storeOptions, format: { type: 'string' }, out: { type: 'string' } },
  async run({ values }, io) {
    requiredString(values, 'format');
    const format = choice(values, 'format', ['ris', 'csv'] as const, 'ris');
    const out = optionalString(values, 'out');
    const { records } = await withReviewStore(values, io, ({ store }) => loadReview(store));
    const text = format === 'ris' ? toRis(records) : toCsv(records);
    if (out === undefined) {
      io.stdout(text);
      return 0;
    }
    const path = resolve(io.cwd, out);
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new InputError(`export: cannot write ${path}: ${messageOf(error)}`);
    }
    io.stderr(`${records.length} record(s) written to ${path}\n`);
    return 0;
  },
};
