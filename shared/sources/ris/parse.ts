/**
 * RIS parser for exports from PsycINFO, Embase, CENTRAL, EndNote and Zotero. Tolerates CRLF, a byte-order mark,
 * values continued on following lines and the one-space "TY - " variant some exporters write.
 */
import { InputError } from '#shared/errors.ts';
import { normaliseDoi } from '#shared/records/dedup.ts';
import { type BibRecord, unstorableBecause } from '#shared/records/record.ts';
import { contentHash } from '#shared/text/content-hash.ts';

const TAG_LINE = /^([A-Z][A-Z0-9])\s{1,2}-(?: (.*))?$/;

type Fields = Map<string, string[]>;

interface RawEntry {
  line: number;
  /** Per tag, each value as the pieces of its lines: joined once at the end, so a value of many lines is linear. */
  pieces: Map<string, string[][]>;
}

// Every trim here is String#trim/trimEnd, never a regex like /\s+$/: a regex anchored at the end retries from
// every space of a long run that is followed by more text, which took 97 s on a line with 200k spaces.
function splitEntries(text: string): RawEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const entries: RawEntry[] = [];
  let current: RawEntry | undefined;
  let lastPieces: string[] | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trimEnd();
    const tagged = TAG_LINE.exec(line);
    if (tagged) {
      const tag = tagged[1] as string;
      const value = (tagged[2] ?? '').trim();
      if (tag === 'TY') {
        current = { line: index + 1, pieces: new Map() };
        entries.push(current);
      }
      if (!current) throw new InputError(`RIS line ${index + 1}: '${tag}' before the first 'TY  -' line`);
      if (tag === 'ER') {
        current = undefined;
        lastPieces = undefined;
        return;
      }
      const values = current.pieces.get(tag) ?? [];
      lastPieces = value === '' ? [] : [value];
      values.push(lastPieces);
      current.pieces.set(tag, values);
      return;
    }
    const continued = line.trim();
    if (continued === '' || !current || !lastPieces) return;
    // A line without a tag continues the previous value (wrapped abstracts, long titles).
    lastPieces.push(continued);
  });
  return entries;
}

function fieldsOf(entry: RawEntry): Fields {
  const fields: Fields = new Map();
  for (const [tag, values] of entry.pieces) {
    fields.set(
      tag,
      values.map((pieces) => pieces.join(' ')),
    );
  }
  return fields;
}

function first(fields: Fields, ...tags: string[]): string | undefined {
  for (const tag of tags) {
    const value = fields.get(tag)?.find((candidate) => candidate !== '');
    if (value !== undefined) return value;
  }
  return undefined;
}

function all(fields: Fields, ...tags: string[]): string[] {
  return tags.flatMap((tag) => fields.get(tag) ?? []).filter((value) => value !== '');
}

/** "Smith, John A." → "Smith JA", the PubMed style every source uses; collective names are kept as given. */
export function pubmedStyleAuthor(author: string): string {
  const comma = author.indexOf(',');
  if (comma < 0) return author.trim();
  const family = author.slice(0, comma).trim();
  const given = author.slice(comma + 1).trim();
  const initials = given
    .split(/[\s.-]+/)
    .filter((part) => part !== '')
    .map((part) => (part === part.toUpperCase() && part.length <= 3 ? part : (part[0] ?? '')))
    .join('');
  return initials ? `${family} ${initials}` : family;
}

function findPmid(fields: Fields): string | undefined {
  for (const value of all(fields, 'AN', 'C5', 'M2', 'ID', 'N1', 'U1', 'U2')) {
    const labelled = /(?:PMID|PUBMED|MEDLINE)[:\s]+(\d{1,9})\b/i.exec(value);
    if (labelled) return labelled[1];
  }
  const database = all(fields, 'DB', 'DP').join(' ');
  const accession = first(fields, 'AN');
  if (/pubmed|medline|\bNLM\b/i.test(database) && accession && /^\d{1,9}$/.test(accession)) return accession;
  return undefined;
}

function findDoi(fields: Fields): string | undefined {
  for (const value of all(fields, 'DO', 'M3', 'N1', 'UR', 'L3')) {
    const doi = normaliseDoi(/10\.\d{4,9}\/\S+/.exec(value)?.[0]);
    if (doi) return doi;
  }
  return undefined;
}

// Titles are trimmed already; a leading \s* before \[?\s* would try every split of a long run of spaces.
const RETRACTED_TITLE = /^\[?\s*retracted\b/i;

function toRecord(entry: RawEntry): BibRecord {
  const fields = fieldsOf(entry);
  const title = first(fields, 'TI', 'T1', 'CT', 'BT');
  if (title === undefined) {
    throw new InputError(`RIS record starting at line ${entry.line} has no title (TI or T1)`);
  }
  // EndNote often repeats the abstract in AB and N2: take one of them, not both.
  const abstract = (all(fields, 'AB').length > 0 ? all(fields, 'AB') : all(fields, 'N2')).join(' ');
  const yearText = first(fields, 'PY', 'Y1', 'DA');
  const year = yearText ? Number(/\d{4}/.exec(yearText)?.[0]) : Number.NaN;
  const types = [first(fields, 'TY'), ...all(fields, 'M3', 'PT')].filter((type): type is string => !!type);
  const notes = [title, abstract, ...all(fields, 'N1', 'KW', 'ID', 'C5')].join(' ');
  const nctIds = [...new Set([...notes.matchAll(/\bNCT\d{8}\b/gi)].map((match) => match[0].toUpperCase()))];
  const pmid = findPmid(fields);
  const doi = findDoi(fields);
  const journal = first(fields, 'JF', 'JO', 'T2', 'JA', 'J2');
  const record: Omit<BibRecord, 'id'> = {
    source: 'ris',
    ...(pmid ? { pmid } : {}),
    ...(doi ? { doi } : {}),
    nctIds,
    title,
    abstract,
    authors: all(fields, 'AU', 'A1').map(pubmedStyleAuthor),
    ...(journal ? { journal } : {}),
    ...(Number.isInteger(year) ? { year } : {}),
    publicationTypes: types,
    mesh: [],
    retracted: RETRACTED_TITLE.test(title) || types.some((type) => /retracted publication/i.test(type)),
  };
  const parsed = { id: `ris:${contentHash(record).slice(0, 16)}`, ...record };
  const problem = unstorableBecause(parsed);
  if (problem !== undefined) {
    throw new InputError(`RIS record starting at line ${entry.line} cannot be stored: ${problem}`);
  }
  return parsed;
}

/** Parses a whole RIS file; any unusable record refuses the file, naming its line. */
export function parseRis(text: string): BibRecord[] {
  const entries = splitEntries(text);
  if (entries.length === 0) throw new InputError("no RIS records found (expected lines like 'TY  - JOUR')");
  return entries.map(toRecord);
}

/**
 * The text of a RIS file as exported: UTF-8 (with or without byte-order mark), UTF-16 with a byte-order mark
 * (EndNote's "Unicode" export), or, when the bytes are not valid UTF-8, Windows-1252 (older "ANSI" exports).
 */
export function decodeRis(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
