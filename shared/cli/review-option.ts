import type { ReviewConfig } from '#shared/review/config.ts';
import { DEFAULT_REVIEW_ID, loadReview } from '#shared/review/load.ts';
import { bindStoreToReview } from '#shared/review/store-binding.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { withLocalStore } from './local-store.ts';
import { optionalString } from './options.ts';
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
 * Opens the local store for one review. A store holds one review: the first command records the review's id in
 * it, and a command for another review is refused before it writes anything (use another --data folder).
 */
export async function withReviewStore<T>(
  values: ParsedValues,
  io: CliIO,
  work: (local: LocalStore, review: ReviewConfig) => Promise<T>,
): Promise<T> {
  const review = reviewFrom(values, io);
  return withLocalStore(values, io, async (local) => {
    await bindStoreToReview(local.store, review, systemClock);
    return work(local, review);
  });
}
