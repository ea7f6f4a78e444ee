import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Builds real-shaped efetch documents from real records: each record keeps its content and gets a distinct PMID,
 * so tests and benchmarks can have as many records as they need without inventing any markup.
 */
const RECORD = /<PubmedArticle>[\s\S]*?<\/PubmedArticle>|<PubmedBookArticle>[\s\S]*?<\/PubmedBookArticle>/g;
const OWN_PMID = /<PMID Version="(\d+)">(\d+)<\/PMID>/;
const HEADER =
  '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st June 2018//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_180601.dtd">\n<PubmedArticleSet>\n';

export const FIRST_SYNTHETIC_PMID = 40_000_001;

/** Every record element of the given efetch documents, in order. */
export function recordsOf(documents: string[]): string[] {
  return documents.flatMap((document) => document.match(RECORD) ?? []);
}

/** The record with its own PMID (and its ArticleIdList pubmed id) replaced by `pmid`. */
export function withPmid(record: string, pmid: number): string {
  const own = OWN_PMID.exec(record);
  if (own === null) throw new Error('record without a PMID');
  return record
    .replace(OWN_PMID, `<PMID Version="${own[1]}">${pmid}</PMID>`)
    .replaceAll(
      `<ArticleId IdType="pubmed">${own[2]}</ArticleId>`,
      `<ArticleId IdType="pubmed">${pmid}</ArticleId>`,
    );
}

/** The pieces of an efetch document with `count` records cycled from `documents`, PMIDs FIRST_SYNTHETIC_PMID + offset + i. */
export function* efetchSetParts(documents: string[], count: number, offset = 0): Generator<string> {
  const records = recordsOf(documents);
  if (records.length === 0) throw new Error('no records to assemble from');
  yield HEADER;
  for (let index = 0; index < count; index += 1) {
    yield `${withPmid(records[index % records.length] as string, FIRST_SYNTHETIC_PMID + offset + index)}\n`;
  }
  yield '</PubmedArticleSet>\n';
}

export function assembleEfetchSet(documents: string[], count: number, offset = 0): string {
  return [...efetchSetParts(documents, count, offset)].join('');
}

/** Writes the document piece by piece, so a large file never sits in memory. */
export function writeEfetchSet(path: string, documents: string[], count: number): void {
  const file = openSync(path, 'w');
  try {
    for (const part of efetchSetParts(documents, count)) writeSync(file, part);
  } finally {
    closeSync(file);
  }
}
