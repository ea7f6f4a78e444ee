/**
 * PubMed efetch XML (`db=pubmed&retmode=xml`) → normalised records, batch by batch.
 * Only the article's own identifiers are read (ArticleIdList of PubmedData/PubmedBookData/BookDocument), never
 * the PMIDs cited in ReferenceList or CommentsCorrections.
 */
import { TextDecoder } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { InputError, messageOf } from '#shared/errors.ts';
import { normaliseDoi } from '#shared/records/dedup.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { decodeEntities, plainText } from '../plain-text.ts';
import { nestingError } from './nesting.ts';
import { PubmedSplitter, type XmlBatch } from './split.ts';

export interface PubmedParseResult {
  records: BibRecord[];
  /** PMIDs listed in DeleteCitation: records PubMed has withdrawn. */
  deleted: string[];
}

type Node = Record<string, unknown>;

const LISTS = new Set([
  'PubmedArticle',
  'PubmedBookArticle',
  'AuthorList',
  'AbstractText',
  'ArticleIdList',
  'ArticleId',
  'ELocationID',
  'PublicationType',
  'DataBank',
  'AccessionNumber',
  'PMID',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  jPath: false,
  isArray: (name) => LISTS.has(name),
  // Mixed content is read raw and flattened by plainText; subtrees nobody reads are skipped unparsed, and three flat
  // lists (authors, MeSH, comments/corrections) are read from their raw text, much faster than building them.
  stopNodes: [
    '*.ArticleTitle',
    '*.VernacularTitle',
    '*.AbstractText',
    '*.BookTitle',
    '*.ReferenceList',
    '*.Sections',
    '*.GrantList',
    '*.ChemicalList',
    '*.KeywordList',
    '*.History',
    '*.AffiliationInfo',
    '*.InvestigatorList',
    '*.AuthorList',
    '*.CommentsCorrectionsList',
    '*.MeshHeadingList',
    '*.SupplMeshList',
    '*.PersonalNameSubjectList',
    '*.OtherAbstract',
    '*.CoiStatement',
  ],
});

/** Elements that never nest in themselves and that no record field reads. */
const UNREAD =
  /<(Sections|History|AffiliationInfo|GrantList|ChemicalList|KeywordList|InvestigatorList|Reference|SupplMeshList|PersonalNameSubjectList|GeneSymbolList|CoiStatement)\b[^>]*>[\s\S]*?<\/\1>/g;
const AUTHOR = /<Author\b([^>]*)>([\s\S]*?)<\/Author>/g;
const INVALID = /\bValidYN=["']N["']/;
const COLLECTIVE_NAME = /<CollectiveName\b[^>]*>([\s\S]*?)<\/CollectiveName>/;
const LAST_NAME = /<LastName\b[^>]*>([\s\S]*?)<\/LastName>/;
const FORE_NAME = /<ForeName\b[^>]*>([\s\S]*?)<\/ForeName>/;
const INITIALS = /<Initials\b[^>]*>([\s\S]*?)<\/Initials>/;
const DESCRIPTOR = /<DescriptorName\b[^>]*>([\s\S]*?)<\/DescriptorName>/g;
const RETRACTION_IN = /<CommentsCorrections\b[^>]*\bRefType=["']RetractionIn["']/;

export const DEFAULT_BATCH_SIZE = 500;

/** Parses a whole efetch document held in memory. Throws InputError on malformed or truncated XML. */
export function parsePubmedXml(xml: string): PubmedParseResult {
  const result: PubmedParseResult = { records: [], deleted: [] };
  for (const batch of parsePubmedBatches([xml])) {
    result.records.push(...batch.records);
    result.deleted.push(...batch.deleted);
  }
  return result;
}

/** Parses chunks of an efetch document, yielding one result per batch of `batchSize` records. */
export function* parsePubmedBatches(
  chunks: Iterable<string>,
  batchSize = DEFAULT_BATCH_SIZE,
): Generator<PubmedParseResult> {
  const batches = new BatchParser(batchSize);
  for (const chunk of chunks) yield* batches.add(chunk);
  yield* batches.end();
}

/** The streaming variant for files and HTTP bodies: memory is bounded by one batch. */
export async function* parsePubmedStream(
  chunks: AsyncIterable<string | Uint8Array>,
  batchSize = DEFAULT_BATCH_SIZE,
): AsyncGenerator<PubmedParseResult> {
  const batches = new BatchParser(batchSize);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of chunks) {
    yield* batches.add(typeof chunk === 'string' ? chunk : utf8(decoder, chunk));
  }
  yield* batches.add(utf8(decoder));
  yield* batches.end();
}

class BatchParser {
  private readonly splitter: PubmedSplitter;
  /** Records parsed so far, to name the record an error is in. */
  private position = 0;

  constructor(batchSize: number) {
    this.splitter = new PubmedSplitter(batchSize);
  }

  *add(text: string): Generator<PubmedParseResult> {
    for (const batch of this.splitter.push(text)) {
      yield { records: parseBatch(batch, this.position), deleted: [] };
      this.position += batch.kinds.length;
    }
  }

  *end(): Generator<PubmedParseResult> {
    const { batch, tail } = this.splitter.end();
    const records = parseBatch(batch, this.position);
    const deleted = parseTail(tail, this.position + batch.kinds.length);
    if (records.length > 0 || deleted.length > 0) yield { records, deleted };
  }
}

function utf8(decoder: TextDecoder, bytes?: Uint8Array): string {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    throw new InputError('not UTF-8 text: PubMed XML is always UTF-8');
  }
}

function parseFragment(xml: string, where: string): Node {
  try {
    return (parser.parse(`<Batch>${xml}</Batch>`) as { Batch: Node | string }).Batch as Node;
  } catch (error) {
    throw new InputError(`malformed PubMed XML ${where}: ${messageOf(error)}`);
  }
}

/**
 * Each record is checked on its own (so an error names it), then the subtrees nobody reads are cut out of it
 * before the much slower parse; the cut cannot reach into the next record.
 */
function checkedAndTrimmed(record: string, number: number): string {
  const problem = nestingError(record);
  if (problem !== undefined) throw new InputError(`malformed PubMed XML in record ${number}: ${problem}`);
  return record.replace(UNREAD, '');
}

function parseBatch(batch: XmlBatch, position: number): BibRecord[] {
  if (batch.kinds.length === 0) return [];
  const where = `in records ${position + 1}-${position + batch.kinds.length}`;
  // join copies the trimmed records into one new string, so the chunks they were sliced from can be freed.
  const xml = batch.records.map((record, index) => checkedAndTrimmed(record, position + index + 1)).join('');
  const root = parseFragment(xml, where);
  const articles = nodes(root.PubmedArticle);
  const books = nodes(root.PubmedBookArticle);
  const records = batch.kinds.map((kind, index) => {
    const node = kind === 'PubmedArticle' ? articles.shift() : books.shift();
    if (node === undefined) {
      throw new InputError(
        `malformed PubMed XML in record ${position + index + 1}: <${kind}> is not a record`,
      );
    }
    // structuredClone copies the strings, which would otherwise be slices pinning the whole batch text in memory.
    const record = structuredClone(kind === 'PubmedArticle' ? articleRecord(node) : bookRecord(node));
    if (record.pmid === undefined || !/^\d+$/.test(record.pmid)) {
      throw new InputError(`malformed PubMed XML: record ${position + index + 1} has no valid PMID`);
    }
    return record;
  });
  const stray = Object.keys(root).filter((key) => key !== 'PubmedArticle' && key !== 'PubmedBookArticle');
  if (stray.length > 0) {
    throw new InputError(`malformed PubMed XML ${where}: unexpected <${stray[0]}> between records`);
  }
  return records;
}

function parseTail(tail: string, position: number): string[] {
  const close = tail.lastIndexOf('</PubmedArticleSet>');
  if (close === -1 || tail.slice(close + '</PubmedArticleSet>'.length).trim() !== '') {
    const started = /<(PubmedArticle|PubmedBookArticle)[\s>]/.exec(tail);
    throw new InputError(
      started
        ? `truncated PubMed XML: record ${position + 1} (<${started[1]}>) is incomplete`
        : 'truncated PubMed XML: </PubmedArticleSet> is missing at the end',
    );
  }
  const inner = tail.slice(0, close);
  if (inner.trim() === '') return [];
  const problem = nestingError(inner);
  if (problem !== undefined)
    throw new InputError(`malformed PubMed XML after record ${position}: ${problem}`);
  const root = parseFragment(inner, `after record ${position}`);
  const stray = Object.keys(root).filter((key) => key !== 'DeleteCitation');
  if (stray.length > 0 || typeof root.DeleteCitation === 'string') {
    throw new InputError(
      `malformed PubMed XML after record ${position}: unexpected ${JSON.stringify(inner.trim().slice(0, 60))}`,
    );
  }
  return nodes(child(root, 'DeleteCitation')?.PMID).map(text);
}

function articleRecord(article: Node): BibRecord {
  const citation = child(article, 'MedlineCitation') ?? {};
  const item = child(citation, 'Article') ?? {};
  const journal = child(item, 'Journal');
  const ids = articleIds(nodes(child(article, 'PubmedData')?.ArticleIdList));
  const publicationTypes = nodes(child(item, 'PublicationTypeList')?.PublicationType).map(text);
  return {
    source: 'pubmed',
    id: `pubmed:${firstText(citation.PMID)}`,
    pmid: firstText(citation.PMID),
    ...doiAndPmcid(ids, nodes(item.ELocationID)),
    nctIds: nctIds(item),
    title: titleOf(item.ArticleTitle, item.VernacularTitle),
    abstract: abstractOf(child(item, 'Abstract')),
    authors: authorsOf(nodes(item.AuthorList)),
    ...optional('journal', journal ? text(journal.Title) || text(journal.ISOAbbreviation) : ''),
    ...optional('year', yearOf(child(child(journal ?? {}, 'JournalIssue') ?? {}, 'PubDate'))),
    publicationTypes,
    mesh: descriptorNames(rawText(citation.MeshHeadingList)),
    retracted: isRetracted(publicationTypes, rawText(citation.CommentsCorrectionsList)),
  };
}

function bookRecord(bookArticle: Node): BibRecord {
  const document = child(bookArticle, 'BookDocument') ?? {};
  const book = child(document, 'Book') ?? {};
  const ids = articleIds([
    ...nodes(child(bookArticle, 'PubmedBookData')?.ArticleIdList),
    ...nodes(document.ArticleIdList),
  ]);
  const publicationTypes = nodes(document.PublicationType).map(text);
  const authors = authorsOf(nodes(document.AuthorList));
  const chapterTitle = titleOf(document.ArticleTitle, document.VernacularTitle);
  const bookTitle = titleOf(book.BookTitle, undefined);
  return {
    source: 'pubmed',
    id: `pubmed:${firstText(document.PMID)}`,
    pmid: firstText(document.PMID),
    ...doiAndPmcid(ids, nodes(document.ELocationID)),
    nctIds: nctIds(document),
    title: chapterTitle || bookTitle,
    abstract: abstractOf(child(document, 'Abstract')),
    authors: authors.length > 0 ? authors : authorsOf(nodes(book.AuthorList)),
    ...optional('journal', chapterTitle ? bookTitle : ''),
    ...optional('year', yearOf(child(book, 'PubDate'))),
    publicationTypes,
    mesh: [],
    retracted: isRetracted(publicationTypes, rawText(document.CommentsCorrectionsList)),
  };
}

function articleIds(lists: Node[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const list of lists) {
    for (const id of nodes(list.ArticleId)) {
      const type = attribute(id, 'IdType');
      if (type !== undefined && !ids.has(type)) ids.set(type, text(id));
    }
  }
  return ids;
}

function doiAndPmcid(ids: Map<string, string>, locations: Node[]): { doi?: string; pmcid?: string } {
  const location = locations.find(
    (node) => attribute(node, 'EIdType') === 'doi' && attribute(node, 'ValidYN') !== 'N',
  );
  const doi = normaliseDoi(ids.get('doi') ?? (location ? text(location) : undefined));
  const pmcid = ids.get('pmc')?.toUpperCase();
  return { ...optional('doi', doi), ...optional('pmcid', pmcid) };
}

function nctIds(holder: Node): string[] {
  const found = new Set<string>();
  for (const bank of nodes(child(holder, 'DataBankList')?.DataBank)) {
    if (!/^clinicaltrials\.gov$/i.test(text(bank.DataBankName))) continue;
    for (const accession of nodes(child(bank, 'AccessionNumberList')?.AccessionNumber)) {
      const id = text(accession).toUpperCase();
      if (/^NCT\d{8}$/.test(id)) found.add(id);
    }
  }
  return [...found];
}

function titleOf(title: unknown, vernacular: unknown): string {
  return plainText(rawText(title)) || plainText(rawText(vernacular));
}

function abstractOf(abstract: Node | undefined): string {
  if (abstract === undefined) return '';
  return nodes(abstract.AbstractText)
    .map((section) => {
      const body = plainText(rawText(section));
      const label = attribute(section, 'Label');
      return label ? `${decodeEntities(label)}: ${body}` : body;
    })
    .filter((section) => section !== '')
    .join('\n');
}

/** Authors from AuthorList stop nodes (raw text): a flat list read with small patterns, not the parser. */
function authorsOf(lists: Node[]): string[] {
  return (
    lists
      .filter((list) => (attribute(list, 'Type') ?? 'authors') === 'authors')
      .flatMap((list) => [...rawText(list).matchAll(AUTHOR)])
      // ValidYN="N" marks a misspelt name kept beside its correction: not an author.
      .filter(([, attributes]) => !INVALID.test(attributes ?? ''))
      .map(([, , body = '']) => {
        const collective = element(body, COLLECTIVE_NAME);
        if (collective) return collective;
        const initials = element(body, INITIALS) || initialsOf(element(body, FORE_NAME));
        return [element(body, LAST_NAME), initials].filter(Boolean).join(' ');
      })
      .filter((name) => name !== '')
  );
}

function element(xml: string, pattern: RegExp): string {
  const content = pattern.exec(xml)?.[1];
  return content === undefined ? '' : plainText(content);
}

function initialsOf(foreName: string): string {
  return foreName
    .split(/[\s-]+/)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');
}

function yearOf(pubDate: Node | undefined): number | undefined {
  if (pubDate === undefined) return undefined;
  const year = /\b(\d{4})\b/.exec(text(pubDate.Year) || text(pubDate.MedlineDate))?.[1];
  return year === undefined ? undefined : Number(year);
}

function descriptorNames(meshHeadingList: string): string[] {
  return Array.from(meshHeadingList.matchAll(DESCRIPTOR), (match) => plainText(match[1] ?? ''));
}

function isRetracted(publicationTypes: string[], commentsCorrectionsList: string): boolean {
  return (
    publicationTypes.some((type) => type.toLowerCase() === 'retracted publication') ||
    RETRACTION_IN.test(commentsCorrectionsList)
  );
}

function nodes(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'object' && item !== null ? (item as Node) : { '#text': item }));
}

function child(node: Node | undefined, name: string): Node | undefined {
  return nodes(node?.[name])[0];
}

function rawText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(rawText).join(' ');
  if (typeof value === 'object' && value !== null) return rawText((value as Node)['#text']);
  return value === undefined || value === null ? '' : String(value);
}

function text(value: unknown): string {
  return decodeEntities(rawText(value)).replace(/\s+/g, ' ').trim();
}

function firstText(value: unknown): string {
  return text(nodes(value)[0]);
}

function attribute(node: Node, name: string): string | undefined {
  const value = node[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

function optional<K extends string, V>(key: K, value: V | '' | undefined): { [P in K]?: V } {
  return value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}
