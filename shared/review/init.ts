/**
 * A new review file from a few answers (`living-review init`): every key the schema needs, filled with the
 * answers or with defaults a review team would start from, and checked against the schema before it is written,
 * so the file loads as written and is ready to edit (docs/review-file.md says what each key means).
 */
import { ConfigError } from '#shared/errors.ts';
import { crossReferenceProblems, type ReviewFile, ReviewFileSchema } from './schema.ts';

export interface InitAnswers {
  id: string;
  title: string;
  question: string;
  /** The published review the living version keeps current. */
  citation: string;
  /** Who made its inclusion decisions, e.g. "Smith, Jones & Lee 2024". */
  authors: string;
  /** Its publication date, YYYY-MM-DD. */
  published: string;
  /** The date its searches ran up to, YYYY-MM-DD: the first poll starts there. */
  searchedUntil: string;
  intervention: string;
  control: string;
  /** "name:higher" or "name:lower": which direction of the outcome's scores is better. */
  outcomes: string[];
  /** PubMed terms for the intervention, ORed (PubMed syntax, e.g. `exercise[tiab]`). */
  pubmedTerms: string[];
  /** PubMed terms for the population or condition, ORed; the block is left out when none are given. */
  conditionTerms: string[];
  /** ClinicalTrials.gov terms; the intervention terms without their PubMed field tags when none are given. */
  ctgovTerms: string[];
}

/** The Cochrane Highly Sensitive Search Strategy (2008, sensitivity-maximising, PubMed format). */
const COCHRANE_HSSS =
  '(randomized controlled trial[pt] OR controlled clinical trial[pt] OR randomized[tiab] OR placebo[tiab] OR drug therapy[sh] OR randomly[tiab] OR trial[tiab] OR groups[tiab]) NOT (animals[mh] NOT humans[mh])';

const GIVEN = 'Given to living-review init; say here why the term is in the search.';

function outcome(text: string): { id: string; higherIsBetter: boolean } {
  const match = /^(.+):(higher|lower)$/i.exec(text.trim());
  if (!match)
    throw new ConfigError(
      `--outcome "${text}": write it as NAME:higher or NAME:lower (which scores are better)`,
    );
  return { id: (match[1] as string).trim(), higherIsBetter: (match[2] as string).toLowerCase() === 'higher' };
}

const withoutFieldTags = (term: string) => term.replace(/\[[^\]]*\]/g, '').trim();

/** The new file's content; refused with the keys at fault when the answers do not make a valid file. */
export function newReviewFile(answers: InitAnswers): ReviewFile {
  const outcomes = answers.outcomes.map(outcome);
  const terms = (list: string[]) => list.map((term) => ({ term, why: GIVEN }));
  const ctgovTerms =
    answers.ctgovTerms.length > 0 ? answers.ctgovTerms : answers.pubmedTerms.map(withoutFieldTags);
  const draft = {
    id: answers.id,
    title: answers.title,
    question: answers.question,
    maintainer: 'living-review',
    publishedReview: {
      citation: answers.citation,
      label: 'published review',
      authors: answers.authors,
      published: answers.published,
    },
    labels: { intervention: answers.intervention, control: answers.control },
    search: {
      lastSearchDate: answers.searchedUntil,
      overlapDays: 3,
      pubmed: {
        blocks: [
          { name: answers.intervention, why: 'The intervention.', terms: terms(answers.pubmedTerms) },
          ...(answers.conditionTerms.length > 0
            ? [
                {
                  name: 'population',
                  why: 'The population or condition.',
                  terms: terms(answers.conditionTerms),
                },
              ]
            : []),
        ],
        filter: {
          name: 'Cochrane HSSS (2008, sensitivity-maximizing, PubMed format)',
          why: "Randomised trials: the Cochrane Handbook RCT filter. Replace it with the published review's own filter.",
          query: COCHRANE_HSSS,
        },
      },
      ctgov: {
        intervention: {
          name: answers.intervention,
          why: 'The intervention, in ClinicalTrials.gov syntax.',
          terms: terms(ctgovTerms),
        },
        term: {
          name: 'randomised',
          why: 'Trials that randomise participants; narrow it with the condition if the register returns too much.',
          terms: [{ term: 'randomized', why: GIVEN }],
        },
        allocation: 'RANDOMIZED',
      },
    },
    eligibility: {
      review: answers.title,
      dualFraction: 1,
      fullTextSecondReview: { allIncluded: true, excludedFraction: 1, settledBy: [answers.authors] },
      keywords: [...answers.pubmedTerms.map(withoutFieldTags), ...outcomes.map((o) => o.id)],
      reasons: [
        { code: 'design', label: 'Not a randomised controlled trial' },
        { code: 'population', label: 'Population outside the review question' },
        { code: 'intervention', label: `Not ${answers.intervention}` },
        { code: 'comparator', label: 'Comparator outside the review question' },
        { code: 'outcomes', label: 'No eligible outcome reported' },
        { code: 'duplicate', label: 'Duplicate or companion report of an included study' },
      ],
    },
    characteristics: [],
    outcomes,
    outcomeRules: [],
    instrumentDirections: [],
    directionFromSourceEffect: false,
    scope: {
      formats: ['group', 'individual', 'mixed'],
      description: 'every delivery format is in scope',
    },
    plan: {
      timepoints: ['post', 'short-term', 'long-term'],
      comparisonUnit: 'study',
      poolPrecalculatedEffects: false,
      main: { profile: 'metafor', method: 'REML', test: 'knha' },
      robustness: { profile: 'metafor', method: 'DL', test: 'z' },
      sensitivity: [
        {
          name: 'low-risk-of-bias',
          description: 'studies with low overall risk of bias only',
          overallRiskOfBias: ['low'],
        },
      ],
      subgroups: [],
      reporting: {
        minimumTrialsToPool: 2,
        evidence: [{ pBelow: 0.05, label: 'significant' }],
        noEvidenceLabel: 'not significant',
        smdMagnitude: [
          { atLeast: 0.8, label: 'large' },
          { atLeast: 0.5, label: 'medium' },
          { atLeast: 0.2, label: 'small' },
        ],
        belowSmallestMagnitude: 'less than small',
        substantialHeterogeneityAbove: 50,
        minimumTrialsForSmallStudyTests: 10,
      },
      retractedStudies: 'exclude',
    },
    baseline: {
      document: `${answers.authors}, included studies`,
      includedReports: null,
      trials: [],
      published: [],
      prisma: {
        basis:
          "Replace with the published review's PRISMA counts; the included studies must equal baseline.trials.",
        label: `${answers.authors} (published review)`,
        searchedUntil: answers.searchedUntil,
        identified: [{ source: 'Databases', n: 0 }],
        duplicatesRemoved: 0,
        screened: 0,
        excludedAtScreening: 0,
        fullTextsAssessed: 0,
        excludedAtFullText: 0,
        fullTextExclusionReasons: [],
        studiesIncluded: 0,
        reportsIncluded: 0,
      },
    },
    dataSources: [],
  };
  const parsed = ReviewFileSchema.safeParse(draft);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`the answers do not make a valid review file:\n  ${problems.join('\n  ')}`);
  }
  const problems = crossReferenceProblems(parsed.data);
  if (problems.length > 0)
    throw new ConfigError(`the answers do not make a valid review file:\n  ${problems.join('\n  ')}`);
  // The draft, not the parsed value: defaults the schema would add stay out, so the file holds what was decided.
  return draft as ReviewFile;
}
