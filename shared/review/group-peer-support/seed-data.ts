import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReviewSeed } from '#shared/seed.ts';
import { parseRis } from '#shared/sources/ris/parse.ts';

const dataFile = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./data/${name}`, import.meta.url)), 'utf8');

/** What this review's living version starts from: the published review's included reports and the Metapsy data. */
export function groupPeerSupportSeed(): ReviewSeed {
  return {
    included: {
      records: parseRis(dataFile('included-reports.ris')),
      includedBy: 'Lyons, Cooper & Lloyd-Evans 2021',
      // The review's publication date (BMC Psychiatry 21:315, published 23 June 2021).
      decidedAt: '2021-06-23T00:00:00.000Z',
    },
    extraction: { text: dataFile('metapsy-data.csv'), format: 'metapsy', document: 'metapsy-data.csv' },
  };
}
