/**
 * The Lambda handlers' configuration: the variables the infrastructure binds (shared/config/lambda-env.ts), read
 * once at cold start and checked, so a missing binding fails with the variable's name instead of deep in a call.
 */

import { join } from 'node:path';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { ConfigError } from '#shared/errors.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import { loadReview, REVIEWS_DIR } from '#shared/review/load.ts';

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

/**
 * The review a function serves, by the id its infrastructure binds: its folder is bundled beside the handler
 * (reviews/<id>/ under the task root, infra/project-function.ts), and read from the checkout when run locally.
 */
export function reviewById(id: string, env: Record<string, string | undefined> = process.env): ReviewConfig {
  const reviewsDir = env.LAMBDA_TASK_ROOT ? join(env.LAMBDA_TASK_ROOT, 'reviews') : REVIEWS_DIR;
  try {
    return loadReview(id, { reviewsDir });
  } catch (error) {
    throw new ConfigError(`${LAMBDA_ENV.reviewId}=${id}: ${(error as Error).message}`);
  }
}
