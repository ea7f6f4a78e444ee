/**
 * Cuts an efetch `PubmedArticleSet` document into batches of whole records without parsing it, so a file of any
 * size is parsed with memory bounded by one batch. Chunks may end anywhere, even inside a tag.
 */
import { InputError } from '#shared/errors.ts';

export type RecordKind = 'PubmedArticle' | 'PubmedBookArticle';

export interface XmlBatch {
  /** Each record's XML (any text before it included), in document order. */
  records: string[];
  /** Which element each record is. */
  kinds: RecordKind[];
}

const SET_OPEN = /<PubmedArticleSet(?:\s[^>]*?)?(\/?)>/;
const PROLOG_NOISE = /<\?[\s\S]*?\?>|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>|<!--[\s\S]*?-->|\s+/g;
const RECORD_END = /<\/(PubmedArticle|PubmedBookArticle)>/g;
const LONGEST_END_TAG = '</PubmedBookArticle>'.length;
const MAX_PROLOG = 64 * 1024;
const BYTE_ORDER_MARK = /^\uFEFF/;

export class PubmedSplitter {
  /** Text after the last complete record: at most one unfinished record plus one chunk. */
  private buffer = '';
  private started = false;
  private selfClosed = false;
  private scanFrom = 0;
  private parts: string[] = [];
  private kinds: RecordKind[] = [];
  /** Each splitter scans with its own regex: a shared lastIndex would mix up two files read at once. */
  private readonly recordEnd = new RegExp(RECORD_END.source, 'g');

  constructor(private readonly batchSize: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new InputError('batch size must be a positive integer');
  }

  /** Adds text and yields every batch that is now complete, one at a time (so only one is held at once). */
  *push(chunk: string): Generator<XmlBatch> {
    this.buffer += chunk;
    if (!this.started && !this.findSetStart()) return;
    const recordEnd = this.recordEnd;
    let recordStart = 0;
    recordEnd.lastIndex = this.scanFrom;
    for (let match = recordEnd.exec(this.buffer); match !== null; match = recordEnd.exec(this.buffer)) {
      this.parts.push(this.buffer.slice(recordStart, recordEnd.lastIndex));
      this.kinds.push(match[1] as RecordKind);
      recordStart = recordEnd.lastIndex;
      if (this.kinds.length === this.batchSize) yield this.cut();
    }
    this.buffer = this.buffer.slice(recordStart);
    // A closing tag may straddle two chunks: rescan the last few characters next time.
    this.scanFrom = Math.max(0, this.buffer.length - LONGEST_END_TAG);
  }

  /** Ends the input: returns the last batch (possibly empty) and the text after the last record. */
  end(): { batch: XmlBatch; tail: string } {
    if (!this.started) {
      const root = /<([A-Za-z][\w:.-]*)/.exec(this.buffer.replace(PROLOG_NOISE, ''))?.[1];
      throw new InputError(
        root === undefined
          ? 'not PubMed XML: the file is empty or has no <PubmedArticleSet> element'
          : `not PubMed XML: the root element is <${root}>, expected <PubmedArticleSet>`,
      );
    }
    if (this.selfClosed) return { batch: { records: [], kinds: [] }, tail: '</PubmedArticleSet>' };
    return { batch: this.cut(), tail: this.buffer };
  }

  private findSetStart(): boolean {
    const match = SET_OPEN.exec(this.buffer);
    if (match === null) {
      if (this.buffer.length > MAX_PROLOG)
        throw new InputError('not PubMed XML: no <PubmedArticleSet> element');
      return false;
    }
    const before = this.buffer.slice(0, match.index).replace(BYTE_ORDER_MARK, '').replace(PROLOG_NOISE, '');
    if (before !== '') {
      throw new InputError(
        `not PubMed XML: unexpected ${JSON.stringify(before.slice(0, 40))} before <PubmedArticleSet>`,
      );
    }
    this.started = true;
    this.selfClosed = match[1] === '/';
    this.buffer = this.buffer.slice(match.index + match[0].length);
    return true;
  }

  private cut(): XmlBatch {
    const batch = { records: this.parts, kinds: this.kinds };
    this.parts = [];
    this.kinds = [];
    return batch;
  }
}
