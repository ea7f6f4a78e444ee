/**
 * The review file's shape (docs/review-file.md explains every key): validated with zod, strict, so a misspelt key
 * is refused by name rather than ignored. Cross-references (an outcome a rule names, the characteristic a
 * subgroup splits by) are checked after the shape, in `crossReferenceProblems`.
 */
import * as z from 'zod';
import { ROB1_DOMAINS, ROB2_DOMAINS } from '#shared/extraction/model.ts';
import { EligibilitySchema } from '#shared/screening/eligibility.ts';

const text = z.string().trim().min(1);
/** Free text saying where a section's values come from (a quoted passage, a table). */
const basis = text.optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens');
const count = z.number().int().min(0);
const interval = z.tuple([z.number(), z.number()]);
const timepoint = z.enum(['post', 'short-term', 'long-term']);
const controlType = z.enum(['tau', 'wait-list', 'active', 'other']);
const format = z.enum(['group', 'individual', 'mixed']);

const term = z.strictObject({ term: text, why: text });
const block = z.strictObject({ name: text, why: text, terms: z.array(term).min(1) });

const SearchSchema = z.strictObject({
  lastSearchDate: isoDate,
  overlapDays: z.number().int().min(0).max(365),
  pubmed: z.strictObject({
    blocks: z.array(block).min(1),
    filter: z.strictObject({ name: text, why: text, query: text }),
  }),
  ctgov: z.strictObject({ intervention: block, term: block, allocation: text }),
});

const CharacteristicSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter: letters, digits, - and _'),
  label: text,
  values: z.array(z.strictObject({ value: text, label: text })).min(2),
  /** Defaults to the id. */
  csvColumn: text.optional(),
  metapsy: z.strictObject({ column: text, map: z.record(z.string(), text) }).optional(),
});

const pattern = text.refine(
  (source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

const OutcomeRuleSchema = z
  .strictObject({
    category: text.optional(),
    subcategory: text.optional(),
    instrument: pattern.optional(),
    outcome: text,
  })
  .refine((rule) => rule.category !== undefined || rule.subcategory !== undefined, {
    message: 'a rule needs a category, a subcategory or both',
  });

const pooling = z.strictObject({
  profile: z.enum(['metafor', 'revman']),
  method: z.enum(['FE', 'DL', 'REML', 'PM']),
  test: z.enum(['z', 'knha']),
  smdVariance: z.enum(['LS', 'LS2']).optional(),
});

const ReportingSchema = z.strictObject({
  basis,
  minimumTrialsToPool: z.number().int().min(1),
  evidence: z.array(z.strictObject({ pBelow: z.number(), label: text })),
  noEvidenceLabel: text,
  smdMagnitude: z.array(z.strictObject({ atLeast: z.number(), label: text })),
  belowSmallestMagnitude: text,
  substantialHeterogeneityAbove: z.number().min(0).max(100),
  minimumTrialsForSmallStudyTests: z.number().int().min(1),
  minimumTrialsPerSubgroup: z.number().int().min(1).optional(),
});

const PlanSchema = z.strictObject({
  basis,
  outcomes: z.array(text).min(1).optional(),
  timepoints: z.array(timepoint).min(1),
  comparisonUnit: z.enum(['study', 'instrument']).default('study'),
  poolPrecalculatedEffects: z.boolean().default(false),
  main: pooling,
  robustness: pooling,
  sensitivity: z
    .array(
      z.strictObject({
        name: id,
        description: text,
        overallRiskOfBias: z
          .array(z.enum(['low', 'high', 'unclear']))
          .min(1)
          .optional(),
        controlTypes: z.array(controlType).min(1).optional(),
      }),
    )
    .default([]),
  subgroups: z.array(z.strictObject({ name: id, description: text, characteristic: text })).default([]),
  reporting: ReportingSchema,
  retractedStudies: z.enum(['exclude', 'flag']).default('exclude'),
});

const robRating = z.enum(['low', 'high', 'unclear']);
const rob2Rating = z.enum(['low', 'some concerns', 'high', 'varies by result']);
const rob1 = z.strictObject(
  Object.fromEntries(
    ROB1_DOMAINS.map((domain) => [domain, z.strictObject({ rating: robRating, basis: text })]),
  ),
);
const rob2 = z.strictObject({
  domains: z.strictObject(Object.fromEntries(ROB2_DOMAINS.map((domain) => [domain, rob2Rating]))),
  overall: rob2Rating,
});

const TrialSchema = z.strictObject({
  label: text,
  refs: z.array(z.number().int()).default([]),
  citation: text,
  characteristics: z
    .strictObject({
      coded: z.record(z.string(), text.nullable()).default({}),
      comparators: z.array(controlType).default([]),
      country: text.nullable().default(null),
      nRandomised: z.number().int().min(1).nullable().default(null),
      format: format.nullable().default(null),
    })
    .prefault({}),
  scopeReason: text.optional(),
  riskOfBias: z
    .strictObject({
      rob1: rob1.nullable().default(null),
      rob1Overall: robRating.nullable().default(null),
      rob2: rob2.nullable().default(null),
    })
    .default({ rob1: null, rob1Overall: null, rob2: null }),
  sources: z.record(z.string(), text).default({}),
  dataLabels: z.array(text).default([]),
  dataJudgement: z.strictObject({ usable: z.boolean(), basis: text }).optional(),
});

const PublishedSchema = z.strictObject({
  outcome: text,
  timepoint,
  citedRefs: z.array(z.number().int()).default([]),
  trials: z.number().int().min(1),
  n: z.number().int().min(1).nullable().default(null),
  measure: z.enum(['SMD', 'MD']),
  estimate: z.number(),
  ci: interval,
  p: z.number().min(0).max(1),
  pAsPrinted: text.optional(),
  i2: z.number().min(0).max(100),
  chi2: z.number().min(0).nullable().default(null),
  df: z.number().int().min(0).nullable().default(null),
  pi: interval.nullable().optional(),
  followUp: text.nullable().default(null),
  source: text,
});

const flow = {
  identified: z.array(z.strictObject({ source: text, n: count })).min(1),
  duplicatesRemoved: count,
  screened: count,
  excludedAtScreening: count,
  fullTextsAssessed: count,
  excludedAtFullText: count,
  fullTextExclusionReasons: z.array(z.strictObject({ reason: text, n: count })).default([]),
  studiesIncluded: count,
  reportsIncluded: count,
};
const PrismaSchema = z.strictObject({
  basis,
  label: text,
  searchedUntil: isoDate,
  ...flow,
  otherMethods: z.strictObject(flow).optional(),
});

const relativeFile = text.refine((path) => !path.startsWith('/'), {
  message: 'must be a path relative to the review file',
});

export const ReviewFileSchema = z.strictObject({
  id,
  title: text,
  question: text,
  maintainer: text.default('living-review'),
  publishedReview: z.strictObject({
    citation: text,
    /** How the page names it beside the living results, e.g. "2021 review". */
    label: text,
    /** Who made its inclusion decisions, recorded as the decider of the baseline's. */
    authors: text,
    published: isoDate,
  }),
  labels: z.strictObject({ intervention: text, control: text }),
  search: SearchSchema,
  eligibility: EligibilitySchema.extend({ basis }).strict(),
  characteristics: z.array(CharacteristicSchema).default([]),
  outcomes: z.array(z.strictObject({ id: text, higherIsBetter: z.boolean() })).min(1),
  outcomeRules: z.array(OutcomeRuleSchema).default([]),
  instrumentDirections: z
    .array(z.strictObject({ instrument: pattern, higherIsBetter: z.boolean(), source: text }))
    .default([]),
  directionFromSourceEffect: z.boolean().default(false),
  scope: z.strictObject({ basis, formats: z.array(format).min(1), description: text }),
  plan: PlanSchema,
  baseline: z.strictObject({
    /** Where the trials' coding comes from, e.g. "Lyons, Cooper & Lloyd-Evans 2021, Table 1 and Results". */
    document: text,
    includedReports: relativeFile.nullable().default(null),
    trials: z.array(TrialSchema).default([]),
    published: z.array(PublishedSchema).default([]),
    prisma: PrismaSchema,
  }),
  dataSources: z
    .array(
      z.strictObject({
        file: relativeFile,
        format: z.enum(['metapsy', 'csv']),
        description: text,
        citations: relativeFile.optional(),
      }),
    )
    .default([]),
  demo: z.strictObject({ cassette: relativeFile, earlierPoll: relativeFile.optional() }).optional(),
});

export type ReviewFile = z.infer<typeof ReviewFileSchema>;

/** References between parts of a valid-shaped file that do not resolve, each naming its key. */
export function crossReferenceProblems(file: ReviewFile): string[] {
  const problems: string[] = [];
  const outcomes = new Set(file.outcomes.map((outcome) => outcome.id.toLowerCase()));
  const knownOutcomes = file.outcomes.map((outcome) => outcome.id).join(', ');
  const checkOutcome = (key: string, outcome: string) => {
    if (!outcomes.has(outcome.toLowerCase()))
      problems.push(`${key}: "${outcome}" is not a declared outcome (outcomes: ${knownOutcomes})`);
  };
  file.outcomeRules.forEach((rule, i) => {
    checkOutcome(`outcomeRules.${i}.outcome`, rule.outcome);
  });
  file.plan.outcomes?.forEach((outcome, i) => {
    checkOutcome(`plan.outcomes.${i}`, outcome);
  });
  file.baseline.published.forEach((row, i) => {
    checkOutcome(`baseline.published.${i}.outcome`, row.outcome);
  });
  const repeated = (values: string[]) => values.find((value, i) => values.indexOf(value) !== i);
  const duplicateOutcome = repeated(file.outcomes.map((outcome) => outcome.id.toLowerCase()));
  if (duplicateOutcome) problems.push(`outcomes: "${duplicateOutcome}" is declared twice`);

  const characteristics = new Map(file.characteristics.map((spec) => [spec.id, spec]));
  const knownCharacteristics = [...characteristics.keys()].join(', ') || 'none declared';
  const duplicateCharacteristic = repeated(file.characteristics.map((spec) => spec.id));
  if (duplicateCharacteristic)
    problems.push(`characteristics: "${duplicateCharacteristic}" is declared twice`);
  file.characteristics.forEach((spec, i) => {
    const values = spec.values.map((option) => option.value);
    for (const [source, value] of Object.entries(spec.metapsy?.map ?? {})) {
      if (!values.includes(value))
        problems.push(
          `characteristics.${i}.metapsy.map.${source}: "${value}" is not one of its values (${values.join(', ')})`,
        );
    }
  });
  file.plan.subgroups.forEach((subgroup, i) => {
    if (!characteristics.has(subgroup.characteristic))
      problems.push(
        `plan.subgroups.${i}.characteristic: "${subgroup.characteristic}" is not a declared characteristic (characteristics: ${knownCharacteristics})`,
      );
  });
  file.baseline.trials.forEach((trial, i) => {
    for (const [key, value] of Object.entries(trial.characteristics.coded)) {
      const spec = characteristics.get(key);
      const at = `baseline.trials.${i}.characteristics.coded.${key}`;
      if (!spec)
        problems.push(`${at}: not a declared characteristic (characteristics: ${knownCharacteristics})`);
      else if (value !== null && !spec.values.some((option) => option.value === value))
        problems.push(
          `${at}: "${value}" is not one of ${spec.values.map((option) => option.value).join(', ')}`,
        );
    }
  });
  const labels = file.baseline.trials.map((trial) => trial.label);
  const duplicateTrial = repeated(labels);
  if (duplicateTrial) problems.push(`baseline.trials: "${duplicateTrial}" is listed twice`);
  return problems;
}
