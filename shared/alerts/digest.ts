/**
 * The digest sent to the review team after a poll: how many new records, the top ones with title, source link and
 * why they matched, registry status changes and retractions. Pure: composing never sends or stores anything.
 */
import type { RegistryChange, Retraction } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';

export interface DigestItem {
  id: string;
  title: string;
  link?: string;
  why: string;
}

export interface Digest {
  date: string;
  newCount: number;
  top: DigestItem[];
  registryChanges: RegistryChange[];
  retractions: Retraction[];
}

export const DEFAULT_TOP = 10;

export function sourceLink(record: BibRecord): string | undefined {
  if (record.source === 'pubmed' && record.pmid) return `https://pubmed.ncbi.nlm.nih.gov/${record.pmid}/`;
  const nct = record.nctIds[0];
  if (record.source === 'ctgov' && nct) return `https://clinicaltrials.gov/study/${nct}`;
  if (record.doi) return `https://doi.org/${record.doi}`;
  if (record.pmid) return `https://pubmed.ncbi.nlm.nih.gov/${record.pmid}/`;
  return undefined;
}

const RANDOMISED = /randomi[sz]ed controlled trial|randomi[sz]ed|\brct\b/i;

/** Review keywords found in the title or abstract, and trial-design signals, most telling first. */
export function whyMatched(
  record: BibRecord,
  keywords: readonly string[],
): { reasons: string[]; score: number } {
  const text = `${record.title} ${record.abstract}`.toLowerCase();
  const found = keywords.filter((keyword) => text.includes(keyword.toLowerCase()));
  const reasons: string[] = [];
  const isTrial =
    record.publicationTypes.some((type) => /randomized controlled trial/i.test(type)) ||
    record.registry?.allocation === 'RANDOMIZED' ||
    RANDOMISED.test(text);
  if (isTrial) reasons.push('randomised trial');
  if (found.length > 0) reasons.push(`mentions ${found.map((keyword) => `"${keyword}"`).join(', ')}`);
  if (record.registry)
    reasons.push(`registration, ${record.registry.status.toLowerCase().replace(/_/g, ' ')}`);
  if (record.nctIds.length > 0 && record.source !== 'ctgov')
    reasons.push(`registered as ${record.nctIds.join(', ')}`);
  if (reasons.length === 0) reasons.push(`returned by the ${record.source} search`);
  return { reasons, score: found.length + (isTrial ? 2 : 0) };
}

export interface DigestInput {
  date: string;
  newRecords: readonly BibRecord[];
  registryChanges: readonly RegistryChange[];
  retractions: readonly Retraction[];
  keywords: readonly string[];
  top?: number;
}

/** Undefined when there is nothing to tell: no alert when nothing is new. */
export function composeDigest(input: DigestInput): Digest | undefined {
  if (input.newRecords.length + input.registryChanges.length + input.retractions.length === 0)
    return undefined;
  const ranked = input.newRecords
    .map((record, order) => ({ record, order, ...whyMatched(record, input.keywords) }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, input.top ?? DEFAULT_TOP);
  return {
    date: input.date,
    newCount: input.newRecords.length,
    top: ranked.map(({ record, reasons }) => {
      const link = sourceLink(record);
      return { id: record.id, title: record.title, ...(link ? { link } : {}), why: reasons.join('; ') };
    }),
    registryChanges: [...input.registryChanges],
    // Retractions of included records first: they change the published analysis.
    retractions: [...input.retractions].sort((a, b) => Number(b.included) - Number(a.included)),
  };
}

function registryLine(change: RegistryChange): string {
  const parts: string[] = [];
  if (change.from.status !== change.to.status) {
    parts.push(`status ${change.from.status ?? 'unknown'} → ${change.to.status}`);
  }
  if (change.to.hasResults && !change.from.hasResults) parts.push('results posted');
  return `- ${change.id}: ${change.title} (${parts.join(', ') || 'registration updated'})`;
}

/** The digest as Markdown; titles are plain text, so Markdown-significant characters are escaped. */
export function renderDigest(digest: Digest): string {
  const markdownText = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
  const lines = [`# living-review digest ${digest.date}`, ''];
  const included = digest.retractions.filter((retraction) => retraction.included);
  if (included.length > 0) {
    lines.push('## ⚠ Retraction of an included record', '');
    for (const retraction of included) {
      lines.push(
        `- ${retraction.canonicalId}: ${markdownText(retraction.title)} — the analysis must be re-run`,
      );
    }
    lines.push('');
  }
  lines.push(`## ${digest.newCount} new record(s)`, '');
  for (const item of digest.top) {
    const title = item.link ? `[${markdownText(item.title)}](${item.link})` : markdownText(item.title);
    lines.push(`- ${title} (${item.id}): ${markdownText(item.why)}`);
  }
  if (digest.newCount > digest.top.length) lines.push(`- … and ${digest.newCount - digest.top.length} more`);
  if (digest.registryChanges.length > 0) {
    lines.push('', '## Registry status changes', '', ...digest.registryChanges.map(registryLine));
  }
  const others = digest.retractions.filter((retraction) => !retraction.included);
  if (others.length > 0) {
    lines.push('', '## Retractions (not included)', '');
    for (const retraction of others) lines.push(`- ${retraction.id}: ${markdownText(retraction.title)}`);
  }
  return `${lines.join('\n')}\n`;
}
