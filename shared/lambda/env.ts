/**
 * The Lambda handlers' configuration: the variables the infrastructure binds (shared/config/lambda-env.ts), read
 * once at cold start and checked, so a missing binding fails with the variable's name instead of deep in a call.
 */
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { ConfigError } from '#shared/errors.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { groupPeerSupportReview } from '#shared/review/group-peer-support/index.ts';

export type LambdaSetting = keyof typeof LAMBDA_ENV;

export function requiredEnv<K extends LambdaSetting>(
  env: Record<string, string | undefined>,
  settings: readonly K[],
): Record<K, string> {
  const missing = settings.filter((setting) => !env[LAMBDA_ENV[setting]]?.trim());
  if (missing.length > 0) {
    const names = missing.map((setting) => LAMBDA_ENV[setting]).join(', ');
    throw new ConfigError(
      `missing environment variable(s) ${names}: the function's infrastructure must set them`,
    );
  }
  return Object.fromEntries(
    settings.map((setting) => [setting, String(env[LAMBDA_ENV[setting]]).trim()]),
  ) as Record<K, string>;
}

/** Reviews a deployment can run, by id; a second review is one more entry here and its own config folder. */
const REVIEWS: Record<string, ReviewConfig> = { [groupPeerSupportReview.id]: groupPeerSupportReview };

export function reviewById(id: string): ReviewConfig {
  const review = REVIEWS[id];
  if (!review) {
    throw new ConfigError(
      `${LAMBDA_ENV.reviewId}=${id} names no known review (known: ${Object.keys(REVIEWS).join(', ')})`,
    );
  }
  return review;
}
