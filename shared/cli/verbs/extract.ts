import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { reanalyse } from '#shared/analysis/reanalyse.ts';
import { InputError, messageOf } from '#shared/errors.ts';
import { EXTRACTION_FORMATS } from '#shared/extraction/import.ts';
import { systemClock } from '#shared/store/ports.ts';
import { importStudyData } from '#shared/studies/import-data.ts';
import { choice, flag } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { printJson, type Verb } from '../verb.ts';

export const extractVerb: Verb = {
  name: 'extract',
  summary: 'Import extracted study data (Metapsy or the project CSV) and re-run the analysis',
  help: `Usage: living-review extract import FILE --format metapsy|csv [--review ID|FILE]
                             [--data DIR | --table NAME] [--json]

Imports studies, their characteristics and risk of bias, and arm-level outcome data. FILE is either the Metapsy
data standard (semicolons, decimal commas, NA) or the project's own CSV (docs/extraction-csv.md). Every row is
validated first: a file with any error imports nothing and names the row and column. Data are pooled only for
studies the review includes; every other study in the file is queued for screening as a candidate ("data exist
for a study not yet assessed"). When anything changed, the analysis is re-run.

Options:
  --format metapsy|csv    the file's format (required)
${REVIEW_HELP}
${STORE_HELP}
  --json                  one JSON object on stdout: the import summary and the analysis version
`,
  options: { ...reviewOption, ...storeOptions, format: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals }, io) {
    const [action, file] = positionals as [string, string];
    if (action !== 'import') throw new InputError(`extract: unknown action '${action}' (expected 'import')`);
    if (values.format === undefined)
      throw new InputError(`extract import: --format is required (${EXTRACTION_FORMATS.join(' or ')})`);
    const format = choice(values, 'format', EXTRACTION_FORMATS, 'metapsy');
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new InputError(`extract import: cannot read ${path}: ${messageOf(error)}`);
    }
    const { summary, analysis } = await withReviewStore(
      values,
      io,
      async ({ store, session, notifier }, review) => {
        const ports = { store, clock: systemClock, session, notifier };
        const summary = await importStudyData(review, ports, { text, format, document: basename(path) });
        const analysis = await reanalyse(review, ports, `extract import ${basename(path)}`);
        return { summary, analysis };
      },
      { alerts: true },
    );
    if (flag(values, 'json')) {
      printJson(io, {
        ...summary,
        analysis: { version: analysis.version, hash: analysis.hash, created: analysis.created },
      });
      return 0;
    }
    const lines = [
      `imported ${summary.studies} studies, ${summary.usableRows} usable outcome rows`,
      ...(summary.notIncluded.length > 0
        ? [
            `${summary.notIncluded.length} studies not included (their data are kept, not pooled): ${summary.notIncluded.join(', ')}`,
            `${summary.candidatesQueued.length} queued for screening as candidates now`,
          ]
        : []),
      ...(summary.notUsable.length > 0
        ? [`${summary.notUsable.length} results kept but not usable for arm-level pooling`]
        : []),
      ...summary.warnings.map((w) => `warning: ${w}`),
      analysis.created
        ? `analysis version ${analysis.version} (${analysis.changes.length} changes, ${analysis.material.length} material)`
        : `analysis unchanged (version ${analysis.version})`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
