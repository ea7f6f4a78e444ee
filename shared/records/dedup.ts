/**
 * De-duplication keys. Exact keys: PMID, normalised DOI, NCT id (registrations only). Near-duplicate key: title
 * fingerprint + year + first author's surname, which catches a preprint and its article or a record re-indexed
 * under a new PMID. Publications citing an NCT id are linked to the registration, never folded into it.
 */
import type { DedupKey } from '#shared/store/ports.ts';
import { boundedKeyValue } from '#shared/text/bounded-key.ts';
import type { BibRecord } from './record.ts';

/** Stronger keys first: when two keys point at different surviving records, the first one wins. */
export const KEY_PRIORITY: readonly DedupKey['kind'][] = ['pmid', 'doi', 'nct', 'title'];

const STOP_WORDS = new Set(
  'a an and are as at be by for from in into is of on or the to with vs versus via within without'.split(' '),
);

const TRAILING_PUNCTUATION = /[.,;\s]/;

/**
 * `text` without its trailing run of punctuation and whitespace. A loop, not /[.,;\s]+$/: that regex retries
 * from every character of a long run followed by more text, quadratic in the run's length.
 */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_PUNCTUATION.test(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

/** Lower case, without resolver prefix, "doi:" label, surrounding whitespace or trailing punctuation. */
export function normaliseDoi(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const doi = withoutTrailingPunctuation(
    raw
      .trim()
      .toLowerCase()
      .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//, '')
      .replace(/^doi:\s*/, ''),
  );
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : undefined;
}

/** Diacritics folded, lower case, every run of non-alphanumerics one space. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** British and American spellings of the same word ("randomised", "randomized") fingerprint alike. */
function americanSpelling(word: string): string {
  return word.replace(/is(ation|ations|e|ed|es|ing)$/, 'iz$1').replace(/^behaviour/, 'behavior');
}

/**
 * The title's significant words, folded, in order. Ignored: PubMed's [brackets] around translated titles and a
 * "RETRACTED:" marker, so a retracted copy still meets its original.
 */
export function titleFingerprint(title: string): string {
  const unmarked = title.replace(/^\s*(?:\[\s*retracted\s*\]|retracted(?: article)?\s*:)\s*/i, '');
  const words = foldText(unmarked.replace(/^\[(.*)\]\.?$/s, '$1')).split(' ');
  return words
    .filter((word) => word !== '' && !STOP_WORDS.has(word))
    .map(americanSpelling)
    .join(' ');
}

/** "Rüsch N" (PubMed), "Rüsch, Nicolas" (RIS) or "Nicolas Rüsch" → "rusch". */
export function surname(author: string): string {
  const trimmed = author.trim();
  let family: string;
  if (trimmed.includes(',')) {
    family = trimmed.slice(0, trimmed.indexOf(','));
  } else {
    const parts = trimmed.split(/\s+/);
    const last = parts.at(-1) ?? '';
    const endsInInitials = parts.length > 1 && /^[\p{Lu}.-]{1,4}$/u.test(last);
    family = endsInInitials ? parts.slice(0, -1).join(' ') : last;
  }
  return foldText(family).replace(/ /g, '');
}

function nearKey(fingerprint: string, year: number, author: string): DedupKey {
  return { kind: 'title', value: boundedKeyValue(`${fingerprint}|${year}|${author}`) };
}

/** Too short a title (e.g. "Editorial") would fold unrelated records together. */
const MIN_FINGERPRINT_WORDS = 3;

function nearDuplicateParts(record: BibRecord) {
  if (record.source === 'ctgov' || record.year === undefined) return undefined;
  const fingerprint = titleFingerprint(record.title);
  if (fingerprint.split(' ').length < MIN_FINGERPRINT_WORDS) return undefined;
  const firstAuthor = record.authors[0];
  return { fingerprint, year: record.year, author: firstAuthor ? surname(firstAuthor) : '' };
}

/** The keys this record claims, strongest first. */
export function dedupKeys(record: BibRecord): DedupKey[] {
  const keys: DedupKey[] = [];
  if (record.pmid) keys.push({ kind: 'pmid', value: boundedKeyValue(record.pmid.trim()) });
  const doi = normaliseDoi(record.doi);
  if (doi) keys.push({ kind: 'doi', value: boundedKeyValue(doi) });
  const nct = record.source === 'ctgov' ? record.nctIds[0]?.toUpperCase() : undefined;
  if (nct) keys.push({ kind: 'nct', value: boundedKeyValue(nct) });
  const near = nearDuplicateParts(record);
  if (near) keys.push(nearKey(near.fingerprint, near.year, near.author));
  return keys;
}

/**
 * The keys to look up, strongest first: the claimed keys plus the near-duplicate key for the neighbouring years,
 * since a preprint and its journal article are often a year apart.
 */
export function lookupKeys(record: BibRecord): DedupKey[] {
  const keys = dedupKeys(record);
  const near = nearDuplicateParts(record);
  if (near) {
    keys.push(nearKey(near.fingerprint, near.year - 1, near.author));
    keys.push(nearKey(near.fingerprint, near.year + 1, near.author));
  }
  return keys;
}
