/**
 * One parsed PubmedArticle or PubmedBookArticle node → a BibRecord. Identifiers come only from the article's own
 * ArticleIdList (PubmedData, PubmedBookData, BookDocument), never from ReferenceList or CommentsCorrections.
 */
import { normaliseDoi } from '#shared/records/dedup.ts';
import type { BibRecord } from '#shared/records/record.ts';
import { decodeEntities, plainText } from '../plain-text.ts';

/** A node as fast-xml-parser builds it: attributes under "@name", text under "#text". */
export type Node = Record<string, unknown>;

const AUTHOR = /<Author\b([^>]*)>([\s\S]*?)<\/Author>/g;
const INVALID = /\bValidYN=["']N["']/;
const COLLECTIVE_NAME = /<CollectiveName\b[^>]*>([\s\S]*?)<\/CollectiveName>/;
const LAST_NAME = /<LastName\b[^>]*>([\s\S]*?)<\/LastName>/;
const FORE_NAME = /<ForeName\b[^>]*>([\s\S]*?)<\/ForeName>/;
const INITIALS = /<Initials\b[^>]*>([\s\S]*?)<\/Initials>/;
const DESCRIPTOR = /<DescriptorName\b[^>]*>([\s\S]*?)<\/DescriptorName>/g;
const RETRACTION_IN = /<CommentsCorrections\b[^>]*\bRefType=["']RetractionIn["']/;

export function articleRecord(article: Node): BibRecord {
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

export function bookRecord(bookArticle: Node): BibRecord {
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

export function nodes(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'object' && item !== null ? (item as Node) : { '#text': item }));
}

export function child(node: Node | undefined, name: string): Node | undefined {
  return nodes(node?.[name])[0];
}

function rawText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(rawText).join(' ');
  if (typeof value === 'object' && value !== null) return rawText((value as Node)['#text']);
  return value === undefined || value === null ? '' : String(value);
}

export function text(value: unknown): string {
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
