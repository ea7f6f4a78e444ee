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
      if (!current) {
        // Ovid writes an NL line (the journal's NLM abbreviation) after each ER: outside any record, skipped.
        if (entries.length > 0) return;
        throw new InputError(`RIS line ${index + 1}: '${tag}' before the first 'TY  -' line`);
      }
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

const SUFFIX = /^(?:jr|sr|ii|iii|iv|v|2nd|3rd|4th)\.?$/i;

function initialsOf(given: string): string {
  return given
    .split(/[\s.-]+/)
    .filter((part) => part !== '')
    .map((part) => (part === part.toUpperCase() && part.length <= 3 ? part : (part[0] ?? '')))
    .join('');
}

/**
 * "Smith, John A." → "Smith JA", the PubMed style every source uses. A suffix stays with its name ("Loftus, Edward
 * V., Jr." → "Loftus EV Jr"); Embase's "Eloubeidi M.A." loses its dots; collective names are kept as given.
 */
export function pubmedStyleAuthor(author: string): string {
  const parts = author.split(',').map((part) => part.trim());
  if (parts.length === 1) {
    const dotted = /^(.*\S)\s+((?:\p{Lu}\.-?)+)$/u.exec(author.trim());
    return dotted ? `${dotted[1]} ${(dotted[2] as string).replace(/\./g, '')}` : author.trim();
  }
  const suffixes = parts.slice(1).filter((part) => SUFFIX.test(part));
  const family = parts[0] as string;
  const given = parts
    .slice(1)
    .filter((part) => !SUFFIX.test(part))
    .join(' ');
  const initials = initialsOf(given);
  const name = initials ? `${family} ${initials}` : family;
  return [name, ...suffixes.map((suffix) => suffix.replace(/\.$/, ''))].join(' ');
}

/** Ovid's database codes (the D= of its links), by the database they name. */
const OVID_DATABASES: readonly [RegExp, string][] = [
  [/^(?:med|prem|mesz|mesx)/i, 'MEDLINE'],
  [/^psyc/i, 'PsycINFO'],
  [/^(?:emed|emez|emex|empp|oemez)/i, 'Embase'],
  [/^(?:cctr|coch)/i, 'CENTRAL'],
];

interface OvidLink {
  database?: string;
  accession?: string;
}

function ovidLink(fields: Fields): OvidLink | undefined {
  for (const value of all(fields, 'L2', 'UR', 'L1', 'L3', 'LK')) {
    if (!/ovid\.com\/ovidweb\.cgi/i.test(value)) continue;
    const code = /[?&]D=([A-Za-z0-9]+)/.exec(value)?.[1] ?? '';
    const accession = /[?&]AN=([^&\s]+)/.exec(value)?.[1];
    const database = OVID_DATABASES.find(([pattern]) => pattern.test(code))?.[1];
    return { ...(database ? { database } : {}), ...(accession ? { accession } : {}) };
  }
  return undefined;
}

/** The database a record names: its first DB line ("Ovid MEDLINE(R)" read as MEDLINE), else its Ovid link's. */
function databaseOf(fields: Fields, link: OvidLink | undefined): string | undefined {
  const named = first(fields, 'DB');
  if (named !== undefined) return /\bmedline\b/i.test(named) && /ovid/i.test(named) ? 'MEDLINE' : named;
  return link?.database;
}

const BARE_PMID = /^\d{1,9}$/;

/**
 * The PMID, only where exporters put one: labelled ("PMID: 123") in AN, C5, M2, ID, N1, U1, U2, C2; bare in AN
 * when the record is from MEDLINE or PubMed; bare in C5 or U1 when from Embase or MEDLINE (Embase's MEDLINE
 * copy); the AN= of an Ovid MEDLINE link. Accession numbers of other databases (PsycINFO, Embase, WoS) never.
 */
function findPmid(
  fields: Fields,
  database: string | undefined,
  link: OvidLink | undefined,
): string | undefined {
  for (const value of all(fields, 'AN', 'C5', 'M2', 'ID', 'N1', 'U1', 'U2', 'C2')) {
    const labelled = /(?:PMID|PUBMED|MEDLINE)[:\s]+(\d{1,9})\b/i.exec(value);
    if (labelled) return labelled[1];
  }
  const databases = [database ?? '', ...all(fields, 'DB', 'DP')].join(' ');
  const medline = /pubmed|medline|\bNLM\b/i.test(databases);
  const accession = first(fields, 'AN');
  if (medline && accession && BARE_PMID.test(accession)) return accession;
  if (medline || /embase/i.test(databases)) {
    const bare = all(fields, 'C5', 'U1').find((value) => BARE_PMID.test(value));
    if (bare) return bare;
  }
  if (link?.database === 'MEDLINE' && link.accession && BARE_PMID.test(link.accession)) return link.accession;
  return undefined;
}

/**
 * Every DOI of the record, in order: a DO (or M3, where some exporters put it) value that is a DOI, alone or as a
 * resolver link, possibly several on one line; a UR, L2 or L3 that is a doi.org link. Never a DOI found inside a
 * publisher's link path (Wiley, the Cochrane Library) or in a note (a test instrument's DOI).
 */
function findDois(fields: Fields): string[] {
  const found: string[] = [];
  const add = (raw: string) => {
    const doi = normaliseDoi(raw);
    if (doi && !found.includes(doi)) found.push(doi);
  };
  for (const value of all(fields, 'DO', 'M3')) {
    for (const part of value.split(/[\s;,]+/)) add(part.replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, ''));
  }
  for (const value of all(fields, 'UR', 'L2', 'L3')) {
    const resolver = /^(?:https?:\/\/)?(?:dx\.)?doi\.org\/(\S+)$/i.exec(value.trim());
    if (resolver) add(decodeURIComponent(resolver[1] as string));
  }
  return found;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

/** HTML markup removed and entities decoded, as databases (Scopus, Embase, PubMed via Zotero) often leave them. */
function plainText(text: string): string {
  if (!/[<&]/.test(text)) return text;
  const untagged = text
    .replace(/<\/(?:p|div|li|h[1-6])>|<br\s*\/?>/gi, ' ')
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '');
  const decoded = untagged.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
  return decoded.replace(/[ \u00a0]{2,}/g, ' ').trim();
}

/** "No Pagination Specified", which Ovid splits over SP and EP, is no page range. */
function pagesOf(fields: Fields): string | undefined {
  const start = first(fields, 'SP');
  const end = first(fields, 'EP');
  if (start === undefined) return undefined;
  if (/^no$/i.test(start) && (end === undefined || /^(?:pagination|specified)/i.test(end))) return undefined;
  if (end === undefined || end === start || start.includes('-')) return start;
  return `${start}-${end}`;
}

// Titles are trimmed already; a leading \s* before \[?\s* would try every split of a long run of spaces.
const RETRACTED_TITLE = /^\[?\s*retracted\b/i;

function toRecord(entry: RawEntry): Omit<BibRecord, 'id'> {
  const fields = fieldsOf(entry);
  const rawTitle = first(fields, 'TI', 'T1', 'CT', 'BT');
  if (rawTitle === undefined) {
    throw new InputError(`RIS record starting at line ${entry.line} has no title (TI or T1)`);
  }
  const title = plainText(rawTitle);
  // EndNote often repeats the abstract in AB and N2: take one of them, not both.
  const abstract = plainText(
    (all(fields, 'AB').length > 0 ? all(fields, 'AB') : all(fields, 'N2')).join(' '),
  );
  const yearText = first(fields, 'PY', 'Y1', 'DA');
  const year = yearText ? Number(/\d{4}/.exec(yearText)?.[0]) : Number.NaN;
  const types = [first(fields, 'TY'), ...all(fields, 'M3', 'PT')].filter((type): type is string => !!type);
  const notes = [title, abstract, ...all(fields, 'N1', 'KW', 'ID', 'C5')].join(' ');
  const nctIds = [...new Set([...notes.matchAll(/\bNCT\d{8}\b/gi)].map((match) => match[0].toUpperCase()))];
  const link = ovidLink(fields);
  const database = databaseOf(fields, link);
  const pmid = findPmid(fields, database, link);
  const dois = findDois(fields);
  const doi = dois[0];
  const rawJournal = first(fields, 'JF', 'JO', 'T2', 'JA', 'J2');
  const journal = rawJournal === undefined ? undefined : plainText(rawJournal);
  const volume = first(fields, 'VL');
  const issue = first(fields, 'IS');
  const pages = pagesOf(fields);
  const record: Omit<BibRecord, 'id'> = {
    source: 'ris',
    ...(pmid ? { pmid } : {}),
    ...(doi ? { doi } : {}),
    ...(dois.length > 1 ? { dois } : {}),
    nctIds,
    title,
    abstract,
    authors: all(fields, 'AU', 'A1').map((author) => pubmedStyleAuthor(plainText(author))),
    ...(journal ? { journal } : {}),
    ...(Number.isInteger(year) ? { year } : {}),
    ...(volume ? { volume } : {}),
    ...(issue ? { issue } : {}),
    ...(pages ? { pages } : {}),
    ...(database ? { database } : {}),
    publicationTypes: types,
    mesh: [],
    retracted: RETRACTED_TITLE.test(title) || types.some((type) => /retracted publication/i.test(type)),
  };
  return record;
}

/**
 * The record with its id. An exact repeat of an earlier record in the file (an export run twice over one page)
 * is a copy of its own, so ingest counts it as a duplicate: the first keeps the id it has alone, each repeat's id
 * follows from its rank.
 */
function identified(record: Omit<BibRecord, 'id'>, repeat: number, line: number): BibRecord {
  const identity = repeat === 0 ? record : { record, repeat };
  const parsed = { id: `ris:${contentHash(identity).slice(0, 16)}`, ...record };
  const problem = unstorableBecause(parsed);
  if (problem !== undefined) {
    throw new InputError(`RIS record starting at line ${line} cannot be stored: ${problem}`);
  }
  return parsed;
}

/** Parses a whole RIS file; any unusable record refuses the file, naming its line. */
export function parseRis(text: string): BibRecord[] {
  const entries = splitEntries(text);
  if (entries.length === 0) throw new InputError("no RIS records found (expected lines like 'TY  - JOUR')");
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const record = toRecord(entry);
    const key = contentHash(record);
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    return identified(record, repeat, entry.line);
  });
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
