/**
 * Reads a review file (reviews/<id>/review.json, or any path) into the configuration every use case takes: the
 * shape is checked by the schema, references between its parts and the files it names are checked here, and any
 * problem stops the program before anything runs, with the key that is wrong.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubgroupSpec } from '#shared/analysis/plan.ts';
import { ConfigError } from '#shared/errors.ts';
import type { CharacteristicSpec } from '#shared/extraction/characteristics.ts';
import { uncoded } from '#shared/extraction/characteristics.ts';
import { citationParts, type Study, studyIdFor } from '#shared/extraction/model.ts';
import { validateEligibility } from '#shared/screening/eligibility.ts';
import { type BaselineTrial, type ReviewBaseline, withBaselineCoding } from './baseline.ts';
import type { ReviewConfig } from './config.ts';
import { crossReferenceProblems, type ReviewFile, ReviewFileSchema } from './schema.ts';

/** The review a command runs when none is named. */
export const DEFAULT_REVIEW_ID = 'group-peer-support';

/** The reviews shipped with the project, one folder each. */
export const REVIEWS_DIR = fileURLToPath(new URL('../../reviews/', import.meta.url));

const REVIEW_FILE_NAME = 'review.json';

function knownReviewIds(reviewsDir: string): string[] {
  if (!existsSync(reviewsDir)) return [];
  return readdirSync(reviewsDir)
    .filter((name) => existsSync(join(reviewsDir, name, REVIEW_FILE_NAME)))
    .sort();
}

/** A review id names a folder of `reviewsDir`; anything with a slash or a .json ending is a path. */
export function reviewFilePath(reference: string, cwd = process.cwd(), reviewsDir = REVIEWS_DIR): string {
  const looksLikePath = reference.includes('/') || reference.includes('\\') || reference.endsWith('.json');
  if (looksLikePath) {
    const path = isAbsolute(reference) ? reference : resolve(cwd, reference);
    if (existsSync(path) && statSync(path).isDirectory()) return join(path, REVIEW_FILE_NAME);
    return path;
  }
  const path = join(reviewsDir, reference, REVIEW_FILE_NAME);
  if (!existsSync(path)) {
    const known = knownReviewIds(reviewsDir);
    throw new ConfigError(
      `review "${reference}": no such review (known ids: ${known.join(', ') || 'none'}; or give the path of a review file)`,
    );
  }
  return path;
}

/** Every problem of a file in one message, one key per line. */
function invalid(path: string, problems: readonly string[]): ConfigError {
  return new ConfigError(`review file ${path} is not valid:\n  ${problems.join('\n  ')}`);
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`review file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`review file ${path}: not valid JSON: ${(error as Error).message}`);
  }
}

function parseReviewFile(path: string, json: unknown): ReviewFile {
  const parsed = ReviewFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(top level)';
      return issue.code === 'unrecognized_keys'
        ? `${[key === '(top level)' ? '' : key, issue.keys.join(', ')].filter(Boolean).join('.')}: unknown key (misspelt?)`
        : `${key}: ${issue.message}`;
    });
    throw invalid(path, problems);
  }
  const problems = crossReferenceProblems(parsed.data);
  if (problems.length > 0) throw invalid(path, problems);
  return parsed.data;
}

function resolveFile(path: string, folder: string, key: string, relative: string): string {
  const absolute = resolve(folder, relative);
  if (!existsSync(absolute)) throw invalid(path, [`${key}: no file ${absolute}`]);
  return absolute;
}

function baselineTrial(
  trial: ReviewFile['baseline']['trials'][number],
  file: ReviewFile,
  characteristics: CharacteristicSpec[],
): BaselineTrial {
  const { author, year } = citationParts(trial.label);
  const study: Study = {
    id: studyIdFor(trial.label),
    label: trial.label,
    authors: [author],
    year,
    characteristics: {
      ...trial.characteristics,
      coded: { ...uncoded(characteristics), ...trial.characteristics.coded },
    },
    inScope: true,
    scopeReason: trial.scopeReason ?? `included by ${file.publishedReview.authors}`,
    riskOfBias: trial.riskOfBias as Study['riskOfBias'],
    provenance: { source: 'baseline', document: file.baseline.document },
  };
  return {
    study,
    refs: trial.refs,
    citation: trial.citation,
    sources: trial.sources,
    dataLabels: trial.dataLabels,
    ...(trial.dataJudgement ? { dataJudgement: trial.dataJudgement } : {}),
  };
}

/**
 * Reads, validates and resolves a review file; `reference` is a review id (a folder of `reviewsDir`) or a path
 * (relative to `cwd`).
 */
export function loadReview(
  reference: string = DEFAULT_REVIEW_ID,
  { cwd = process.cwd(), reviewsDir = REVIEWS_DIR }: { cwd?: string; reviewsDir?: string } = {},
): ReviewConfig {
  const path = reviewFilePath(reference, cwd, reviewsDir);
  const file = parseReviewFile(path, readJson(path));
  const folder = dirname(path);
  const at = (key: string, relative: string) => resolveFile(path, folder, key, relative);

  const characteristics: CharacteristicSpec[] = file.characteristics.map((spec) => ({
    ...spec,
    csvColumn: spec.csvColumn ?? spec.id,
  }));
  const subgroups: SubgroupSpec[] = file.plan.subgroups.map((subgroup) => ({
    ...subgroup,
    levels: (characteristics.find((spec) => spec.id === subgroup.characteristic) as CharacteristicSpec)
      .values,
  }));
  const baseline: ReviewBaseline = {
    label: file.publishedReview.label,
    decision: { by: file.publishedReview.authors, at: `${file.publishedReview.published}T00:00:00.000Z` },
    trials: file.baseline.trials.map((trial) => baselineTrial(trial, file, characteristics)),
    published: file.baseline.published,
    prisma: file.baseline.prisma,
    includedReports: file.baseline.includedReports
      ? at('baseline.includedReports', file.baseline.includedReports)
      : null,
  };
  let eligibility: ReviewConfig['eligibility'];
  try {
    eligibility = validateEligibility(file.eligibility);
  } catch (error) {
    throw invalid(path, [`eligibility: ${(error as Error).message}`]);
  }
  return {
    id: file.id,
    title: file.title,
    question: file.question,
    citation: file.publishedReview.citation,
    maintainer: file.maintainer,
    labels: file.labels,
    search: { reviewId: file.id, ...file.search },
    eligibility,
    extraction: {
      outcomeMap: {
        outcomes: file.outcomes,
        rules: file.outcomeRules.map(({ instrument, ...rule }) => ({
          ...rule,
          ...(instrument ? { instrument: new RegExp(instrument, 'i') } : {}),
        })),
        instrumentDirections: file.instrumentDirections.map((direction) => ({
          ...direction,
          instrument: new RegExp(direction.instrument, 'i'),
        })),
        directionFromSourceEffect: file.directionFromSourceEffect,
      },
      scope: file.scope,
      characteristics,
      reconcileStudy: (study) => withBaselineCoding(baseline, study),
    },
    plan: { ...file.plan, subgroups },
    baseline,
    dataSources: file.dataSources.map((source, i) => ({
      document: source.file.split('/').pop() as string,
      description: source.description,
      file: at(`dataSources.${i}.file`, source.file),
      format: source.format,
      citations: source.citations ? at(`dataSources.${i}.citations`, source.citations) : null,
    })),
    demo: file.demo
      ? {
          cassette: at('demo.cassette', file.demo.cassette),
          earlierPoll: file.demo.earlierPoll ? at('demo.earlierPoll', file.demo.earlierPoll) : null,
        }
      : null,
    file: path,
  };
}
