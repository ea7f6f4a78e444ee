/**
 * Cuts an efetch `PubmedArticleSet` document into batches of whole records without parsing it, so a file of any
 * size is parsed with memory bounded by one batch. Chunks may end anywhere, even inside a tag.
 */
import { InputError } from '#shared/errors.ts';

export type RecordKind = 'PubmedArticle' | 'PubmedBookArticle';

export interface XmlBatch {
  /** The records' XML, back to back, without the surrounding set element. */
  xml: string;
  /** Which element each record is, in document order. */
  kinds: RecordKind[];
}

const SET_OPEN = /<PubmedArticleSet(?:\s[^>]*?)?(\/?)>/;
const PROLOG_NOISE = /<\?[\s\S]*?\?>|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>|<!--[\s\S]*?-->|\s+/g;
const RECORD_END = /<\/(PubmedArticle|PubmedBookArticle)>/g;
const LONGEST_END_TAG = '</PubmedBookArticle>'.length;
const MAX_PROLOG = 64 * 1024;

export class PubmedSplitter {
  private buffer = '';
  private started = false;
  private selfClosed = false;
  private scanFrom = 0;
  private lastRecordEnd = 0;
  private kinds: RecordKind[] = [];

  constructor(private readonly batchSize: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new InputError(`batch size must be a positive integer`);
  }

  /** Adds text and returns every batch that is now complete. */
  push(chunk: string): XmlBatch[] {
    this.buffer += chunk;
    if (!this.started && !this.findSetStart()) return [];
    const batches: XmlBatch[] = [];
    RECORD_END.lastIndex = this.scanFrom;
    for (let match = RECORD_END.exec(this.buffer); match !== null; match = RECORD_END.exec(this.buffer)) {
      this.kinds.push(match[1] as RecordKind);
      this.lastRecordEnd = RECORD_END.lastIndex;
      if (this.kinds.length === this.batchSize) {
        batches.push(this.cut());
        RECORD_END.lastIndex = 0;
      }
    }
    this.scanFrom = Math.max(this.lastRecordEnd, this.buffer.length - LONGEST_END_TAG);
    return batches;
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
    if (this.selfClosed) return { batch: { xml: '', kinds: [] }, tail: '</PubmedArticleSet>' };
    const batch = this.cut();
    return { batch, tail: this.buffer };
  }

  private findSetStart(): boolean {
    const match = SET_OPEN.exec(this.buffer);
    if (match === null) {
      if (this.buffer.length > MAX_PROLOG)
        throw new InputError('not PubMed XML: no <PubmedArticleSet> element');
      return false;
    }
    const before = this.buffer.slice(0, match.index).replace(PROLOG_NOISE, '');
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
    const batch = { xml: this.buffer.slice(0, this.lastRecordEnd), kinds: this.kinds };
    this.buffer = this.buffer.slice(this.lastRecordEnd);
    this.kinds = [];
    this.lastRecordEnd = 0;
    this.scanFrom = 0;
    return batch;
  }
}
