/**
 * Writes included-reports.ris: one RIS record per study the review included, read from the Metapsy citations
 * (metapsy-references.json) with the parser the candidates use; each record's N1 note names its trial, as the
 * review file's `baseline.includedReports` requires. Run: npx tsx reviews/smit-2023/data/make-included-reports.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCitation } from '#shared/studies/candidates.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const citations = JSON.parse(readFileSync(here('metapsy-references.json'), 'utf8')) as Record<string, string>;

const records = Object.entries(citations).map(([label, citation]) => {
  const cited = parseCitation(citation);
  if (!cited.title || !cited.year) throw new Error(`${label}: the citation has no title or year: ${citation}`);
  return [
    'TY  - JOUR',
    ...(cited.authors ?? []).map((author) => `AU  - ${author}`),
    `TI  - ${cited.title}`,
    ...(cited.journal ? [`JO  - ${cited.journal}`] : []),
    `PY  - ${cited.year}`,
    `N1  - Included in Smit et al. 2023; citation as given in the Metapsy peer-support references (${label}).`,
    'ER  - ',
  ].join('\n');
});
writeFileSync(here('included-reports.ris'), `${records.join('\n\n')}\n`);
console.log(`wrote ${records.length} records`);
