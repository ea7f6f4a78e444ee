/** Record files a team brings (PubMed XML, ClinicalTrials.gov JSON, RIS), read into records or refused with why. */
import { InputError, messageOf } from '#shared/errors.ts';
import { parseCtgovJson } from '#shared/sources/ctgov/parse.ts';
import { parsePubmedXml } from '#shared/sources/pubmed/parse.ts';
import { decodeRis, parseRis } from '#shared/sources/ris/parse.ts';
import type { BibRecord } from './record.ts';

const READERS = {
  pubmed: (bytes: Buffer) => parsePubmedXml(bytes.toString('utf8')).records,
  ctgov: (bytes: Buffer) => parseCtgovJson(bytes.toString('utf8')),
  ris: (bytes: Buffer) => parseRis(decodeRis(bytes)),
} satisfies Record<string, (bytes: Buffer) => BibRecord[]>;

export type RecordFileFormat = keyof typeof READERS;
export const RECORD_FILE_FORMATS = Object.keys(READERS) as RecordFileFormat[];

export function recordFileFormat(format: string): RecordFileFormat {
  if (!(format in READERS)) {
    throw new InputError(`the format must be one of ${RECORD_FILE_FORMATS.join(', ')} (got '${format}')`);
  }
  return format as RecordFileFormat;
}

export function readRecordFile(format: string, bytes: Buffer, name: string): BibRecord[] {
  const reader = READERS[recordFileFormat(format)];
  try {
    return reader(bytes);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${name}: ${error.message}`);
    throw new InputError(`${name} is not a readable ${format} file: ${messageOf(error)}`);
  }
}
