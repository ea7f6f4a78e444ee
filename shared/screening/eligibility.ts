import * as z from 'zod';
import { ConfigError, InputError } from '#shared/errors.ts';

/** A review's screening configuration: exclusion reasons, the dual-screening share, relevance keywords. */
export const EligibilitySchema = z.object({
  review: z.string().min(1),
  reasons: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z0-9-]+$/, 'reason codes are lower-case words joined by hyphens'),
        label: z.string().min(1),
      }),
    )
    .min(1),
  /** Share of each batch of new records screened independently by two reviewers (the first ones). */
  dualFraction: z.number().min(0).max(1),
  /** Who screens full-text decisions a second time (blind to the first); by default only the dual sample. */
  fullTextSecondReview: z
    .object({
      allIncluded: z.boolean(),
      excludedFraction: z.number().min(0).max(1),
      /** Deciders whose full-text decision settles alone: the published review's authors, already checked twice. */
      settledBy: z.array(z.string().min(1)).default([]),
    })
    .default({ allIncluded: false, excludedFraction: 0, settledBy: [] }),
  /** Words that make a record look relevant: alerts show which ones a new record mentions (why it matched). */
  keywords: z.array(z.string().min(1)),
});

export type Eligibility = z.infer<typeof EligibilitySchema>;
export type ExclusionReason = Eligibility['reasons'][number];

export function validateEligibility(value: unknown): Eligibility {
  const parsed = EligibilitySchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`eligibility configuration: ${parsed.error.message}`);
  const codes = parsed.data.reasons.map((reason) => reason.code);
  const repeated = codes.find((code, index) => codes.indexOf(code) !== index);
  if (repeated) throw new ConfigError(`eligibility configuration: reason code '${repeated}' appears twice`);
  return parsed.data;
}

export function reasonFor(eligibility: Eligibility, code: string): ExclusionReason {
  const reason = eligibility.reasons.find((candidate) => candidate.code === code);
  if (!reason) {
    const known = eligibility.reasons.map((candidate) => candidate.code).join(', ');
    throw new InputError(`unknown exclusion reason '${code}'; reasons for ${eligibility.review}: ${known}`);
  }
  return reason;
}
