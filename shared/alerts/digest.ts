/**
 * The digest sent to the review team after a poll: how many new records, the top ones with title, source link and
 * why they matched, registry status changes and retractions. Pure: composing never sends or stores anything.
 */

import { normaliseDoi } from '#shared/records/dedup.ts';
import type { RegistryChange, Retraction } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { forTerminal } from '#shared/text/terminal.ts';

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

/**
 * The record's page at its source. Identifiers come from the source's text, so each must have its shape (a PMID
 * digits, an NCT id NCT and eight digits, a DOI 10.prefix/suffix) to be linked; a DOI's suffix is
 * percent-encoded, since it may hold any character, `)` and `]` included.
 */
export function sourceLink(record: BibRecord): string | undefined {
  const pmid = record.pmid !== undefined && /^\d{1,9}$/.test(record.pmid) ? record.pmid : undefined;
  const nct = record.nctIds.find((id) => /^NCT\d{8}$/.test(id));
  const doi = normaliseDoi(record.doi);
  if (record.source === 'pubmed' && pmid) return `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`;
  if (record.source === 'ctgov' && nct) return `https://clinicaltrials.gov/study/${nct}`;
  if (doi) return `https://doi.org/${doi.split('/').map(percentEncoded).join('/')}`;
  if (pmid) return `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`;
  return undefined;
}

/** Characters a URL path segment keeps as they are (RFC 3986 unreserved); everything else is %XX per byte. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function percentEncoded(segment: string): string {
  let encoded = '';
  for (const character of segment) {
    if (UNRESERVED.test(character)) {
      encoded += character;
      continue;
    }
    for (const byte of new TextEncoder().encode(character)) {
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return encoded;
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

/**
 * Text from a source as one line of Markdown that reads as the text and nothing else: no control characters,
 * every run of whitespace (line breaks included) one space, so it cannot start a line of its own; every
 * character that could open or close markup (emphasis, code, a link, an image, raw HTML) escaped; a list or
 * heading marker at its start escaped; and `://`, `www.` and `@` broken, so a URL or address in a title does not
 * become a link by GitHub's autolinking.
 */
export function markdownText(text: string): string {
  return forTerminal(text)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_{}[\]()<>#|!~&@]/g, '\\$&')
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d+)\./, '$1\\.');
}

/** A Markdown link whose destination cannot end early: the URL is ours, but its parts came from a source. */
function markdownLink(text: string, url: string): string {
  const destination = url.replace(/[\s()<>[\]\\`"']/g, (character) => percentEncoded(character));
  return `[${markdownText(text)}](${destination})`;
}

function registryLine(change: RegistryChange): string {
  const parts: string[] = [];
  if (change.from.status !== change.to.status) {
    parts.push(`status ${markdownText(change.from.status ?? 'unknown')} → ${markdownText(change.to.status)}`);
  }
  if (change.to.hasResults && !change.from.hasResults) parts.push('results posted');
  return `- ${markdownText(change.id)}: ${markdownText(change.title)} (${parts.join(', ') || 'registration updated'})`;
}

/** The digest as Markdown; every text from a source is escaped by markdownText, every link by markdownLink. */
export function renderDigest(digest: Digest): string {
  const lines = [`# living-review digest ${digest.date}`, ''];
  const included = digest.retractions.filter((retraction) => retraction.included);
  if (included.length > 0) {
    lines.push('## ⚠ Retraction of an included record', '');
    for (const retraction of included) {
      lines.push(
        `- ${markdownText(retraction.canonicalId)}: ${markdownText(retraction.title)} — the analysis must be re-run`,
      );
    }
    lines.push('');
  }
  lines.push(`## ${digest.newCount} new record(s)`, '');
  for (const item of digest.top) {
    const title = item.link ? markdownLink(item.title, item.link) : markdownText(item.title);
    lines.push(`- ${title} (${markdownText(item.id)}): ${markdownText(item.why)}`);
  }
  if (digest.newCount > digest.top.length) lines.push(`- … and ${digest.newCount - digest.top.length} more`);
  if (digest.registryChanges.length > 0) {
    lines.push('', '## Registry status changes', '', ...digest.registryChanges.map(registryLine));
  }
  const others = digest.retractions.filter((retraction) => !retraction.included);
  if (others.length > 0) {
    lines.push('', '## Retractions (not included)', '');
    for (const retraction of others) {
      lines.push(`- ${markdownText(retraction.id)}: ${markdownText(retraction.title)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
