/**
 * The files a review's seed reads: the published review's included reports (RIS) and the data sources its file
 * names. Read when a cycle seeds the store, not when the review is loaded, so a command that needs none of them
 * (screening, status) never opens them.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from '#shared/errors.ts';
import { studyIdFor } from '#shared/extraction/model.ts';
import type { ReviewSeed } from '#shared/seed.ts';
import { parseRis } from '#shared/sources/ris/parse.ts';
import type { ReviewConfig } from './config.ts';

/**
 * The included reports, each with its trial: every record's N1 note ends with the label of the trial it reports
 * in parentheses ("(Cook, 2012a)"), which is also the baseline trial's study id.
 */
export function includedReports(text: string, file: string): NonNullable<ReviewSeed['included']> {
  return text
    .split(/^ER {2}-.*$/m)
    .filter((chunk) => chunk.trim() !== '')
    .flatMap((chunk) => {
      const label = chunk.match(/^N1 {2}-.*\(([^()]+)\)\.?\s*$/m)?.[1];
      if (!label)
        throw new ConfigError(
          `${basename(file)}: a record has no trial label in parentheses at the end of its N1 note:\n${chunk.trim()}`,
        );
      return parseRis(`${chunk}ER  - \n`).map((record) => ({ studyId: studyIdFor(label), record }));
    });
}

/** What the review's living version starts from: the published review's included reports and its data files. */
export function reviewSeed(review: ReviewConfig): ReviewSeed {
  const reports = review.baseline.includedReports;
  return {
    included: reports ? includedReports(readFileSync(reports, 'utf8'), reports) : [],
    extractions: review.dataSources.map((source) => ({
      text: readFileSync(source.file, 'utf8'),
      format: source.format,
      document: source.document,
      ...(source.citations
        ? { citations: JSON.parse(readFileSync(source.citations, 'utf8')) as Record<string, string> }
        : {}),
    })),
  };
}
