import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { studyIdFor } from '#shared/extraction/model.ts';
import type { ReviewSeed } from '#shared/seed.ts';
import { parseRis } from '#shared/sources/ris/parse.ts';

const dataFile = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./data/${name}`, import.meta.url)), 'utf8');

/**
 * The included reports, each with its trial: every record's N1 note names the Metapsy label of the trial it
 * reports ("(Cook, 2012a)"), which is also the baseline register's study id.
 */
function includedReports(text: string): NonNullable<ReviewSeed['included']> {
  return text
    .split(/^ER {2}-.*$/m)
    .filter((chunk) => chunk.trim() !== '')
    .flatMap((chunk) => {
      const label = chunk.match(/^N1 {2}-.*\(([^()]+)\)\.\s*$/m)?.[1];
      if (!label)
        throw new Error(`included-reports.ris: a record has no trial label in its N1 note:\n${chunk}`);
      return parseRis(`${chunk}ER  - \n`).map((record) => ({ studyId: studyIdFor(label), record }));
    });
}

/** What this review's living version starts from: the published review's included reports and the Metapsy data. */
export function groupPeerSupportSeed(): ReviewSeed {
  return {
    included: includedReports(dataFile('included-reports.ris')),
    extraction: {
      text: dataFile('metapsy-data.csv'),
      format: 'metapsy',
      document: 'metapsy-data.csv',
      citations: JSON.parse(dataFile('metapsy-references.json')) as Record<string, string>,
    },
  };
}
