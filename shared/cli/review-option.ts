import type { ReviewConfig } from '#shared/review/config.ts';
import { DEFAULT_REVIEW_ID, loadReview } from '#shared/review/load.ts';
import { bindStoreToReview } from '#shared/review/store-binding.ts';
import { systemClock } from '#shared/store/ports.ts';
import { optionalString } from './options.ts';
import { type AccessFor, type StoreNeeds, withStore } from './store-option.ts';
import type { CliIO, ParsedValues } from './verb.ts';

/** The `--review ID|FILE` option every verb that works on a review takes. */
export const reviewOption = { review: { type: 'string' } } as const;

/** Environment variable naming the review when --review is not given. */
export const REVIEW_ENV = 'LIVING_REVIEW_REVIEW';

export const REVIEW_HELP = `  --review ID|FILE        the review: an id under reviews/ (${DEFAULT_REVIEW_ID}, smit-2023, ...) or the path of a
                          review file (default $${REVIEW_ENV}, else ${DEFAULT_REVIEW_ID}); see docs/review-file.md`;

/** The review a command works on, read and validated before anything else runs. */
export function reviewFrom(values: ParsedValues, io: CliIO): ReviewConfig {
  return loadReview(optionalString(values, 'review') ?? io.env[REVIEW_ENV] ?? DEFAULT_REVIEW_ID, {
    cwd: io.cwd,
  });
}

/**
 * Opens the store (local, or the deployed table of --table) for one review. A store holds one review: the first
 * command records the review's id in it, and a command for another review is refused before it writes anything
 * (use another --data folder, or that review's own table).
 */
export async function withReviewStore<T, const N extends StoreNeeds = StoreNeeds>(
  values: ParsedValues,
  io: CliIO,
  work: (access: AccessFor<N>, review: ReviewConfig) => Promise<T>,
  needs: N = {} as N,
): Promise<T> {
  const review = reviewFrom(values, io);
  return withStore(values, io, needs, async (access: AccessFor<N>) => {
    await bindStoreToReview(access.store, review, systemClock);
    return work(access, review);
  });
}
