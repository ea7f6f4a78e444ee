/**
 * Named error classes and the one place that maps them to exit codes and HTTP statuses.
 * Adapters (CLI, Lambda handlers, HTTP API) never pick a code themselves.
 */
export class LivingReviewError extends Error {
  override name = 'LivingReviewError';
}

/** The caller gave something unusable: a bad file, a bad flag, a value out of range. */
export class InputError extends LivingReviewError {
  override name = 'InputError';
}

/** A required configuration value is missing or malformed. */
export class ConfigError extends LivingReviewError {
  override name = 'ConfigError';
}

/** The thing asked for does not exist (an unknown record id, say). */
export class NotFoundError extends LivingReviewError {
  override name = 'NotFoundError';
}

/** The caller is not allowed to do this: no identity vouched for by the sign-in, or not in a role that may. */
export class ForbiddenError extends LivingReviewError {
  override name = 'ForbiddenError';
}

/** The request contradicts what is stored (a second decision without --revise, say). */
export class ConflictError extends LivingReviewError {
  override name = 'ConflictError';
}

/** An outside source (PubMed, ClinicalTrials.gov) failed after retries or answered with an error. */
export class SourceError extends LivingReviewError {
  override name = 'SourceError';
  constructor(
    readonly source: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${source}: ${message}`, options);
  }
}

/**
 * A source call or a poll stopped because its time budget would be passed: nothing new was started after the
 * deadline. It is a SourceError (exit code 3, the source is reported and keeps its watermark), so the next run
 * reads the window again.
 */
export class OutOfTimeError extends SourceError {
  override name = 'OutOfTimeError';
}

/**
 * What the store holds is not what an item promised: a large body's chunk missing or altered. Never half a value:
 * the read fails, naming what could not be read.
 */
export class DamagedStoreError extends LivingReviewError {
  override name = 'DamagedStoreError';
}

export const EXIT = { ok: 0, failure: 1, badInput: 2, sourceUnavailable: 3 } as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof InputError || error instanceof ConfigError) return EXIT.badInput;
  if (error instanceof NotFoundError || error instanceof ConflictError) return EXIT.badInput;
  if (error instanceof ForbiddenError) return EXIT.badInput;
  if (error instanceof SourceError) return EXIT.sourceUnavailable;
  return EXIT.failure;
}

export function httpStatusFor(error: unknown): number {
  if (error instanceof InputError) return 400;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof SourceError) return 502;
  return 500;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
