import { ConfigError } from '#shared/errors.ts';
import type { Clock, Store } from '#shared/store/ports.ts';
import type { ReviewConfig } from './config.ts';

const KIND = 'review';
const ID = 'binding';

/**
 * A store belongs to one review: its decisions, studies and analyses mean nothing under another's eligibility and
 * plan. The first use records the review's id; a later use by another review is refused before anything is written.
 */
export async function bindStoreToReview(store: Store, review: ReviewConfig, clock: Clock): Promise<void> {
  const stored = await store.getDocument(KIND, ID);
  const boundTo = (stored?.body as { reviewId?: string } | undefined)?.reviewId;
  if (boundTo === review.id) return;
  if (boundTo !== undefined) {
    throw new ConfigError(
      `this store holds the review "${boundTo}", not "${review.id}": each review needs a store of its own (its own --data folder, or its own deployed table)`,
    );
  }
  await store.putDocument({
    kind: KIND,
    id: ID,
    body: { reviewId: review.id },
    updatedAt: clock.now().toISOString(),
  });
}
