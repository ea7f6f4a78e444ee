/**
 * PubMed efetch XML (`db=pubmed&retmode=xml`) → normalised records, batch by batch: the splitter cuts whole records,
 * each is checked for proper nesting and trimmed of subtrees nobody reads, fast-xml-parser builds the batch, and
 * fields.ts maps every record node to a BibRecord.
 */
import { TextDecoder } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { InputError, messageOf } from '#shared/errors.ts';
import { type BibRecord, PMID, unstorableBecause } from '#shared/records/record.ts';
import { articleRecord, bookRecord, child, type Node, nodes, text } from './fields.ts';
import { nestingError } from './nesting.ts';
import { PubmedSplitter, type XmlBatch } from './split.ts';

export interface PubmedParseResult {
  records: BibRecord[];
  /** PMIDs listed in DeleteCitation: records PubMed has withdrawn. */
  deleted: string[];
}

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
  /<(Sections|History|AffiliationInfo|GrantList|ChemicalList|KeywordList|InvestigatorList|Reference|SupplMeshList|PersonalNameSubjectList|GeneSymbolList|CoiStatement|DateCompleted|DateRevised|DateCreated|MedlineJournalInfo|Pagination|ArticleDate|CopyrightInformation)\b[^>]*>[\s\S]*?<\/\1>/g;

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
    if (record.pmid === undefined || !PMID.test(record.pmid)) {
      throw new InputError(`malformed PubMed XML: record ${position + index + 1} has no valid PMID`);
    }
    const problem = unstorableBecause(record);
    if (problem !== undefined) {
      throw new InputError(
        `PubMed record ${position + index + 1} (PMID ${record.pmid}) cannot be stored: ${problem}`,
      );
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
