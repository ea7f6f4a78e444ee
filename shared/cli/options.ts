import { InputError } from '#shared/errors.ts';
import type { ParsedValues } from './verb.ts';

/** Reads one string flag, refusing anything outside `allowed` with a message naming the flag. */
export function choice<T extends string>(
  values: ParsedValues,
  flag: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !allowed.includes(raw as T)) {
    throw new InputError(`--${flag} must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw)})`);
  }
  return raw as T;
}

export function optionalString(values: ParsedValues, flag: string): string | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new InputError(`--${flag} needs a value`);
  return raw;
}

export function requiredString(values: ParsedValues, flag: string): string {
  const value = optionalString(values, flag);
  if (value === undefined || value === '') throw new InputError(`--${flag} is required`);
  return value;
}

export function flag(values: ParsedValues, name: string): boolean {
  return values[name] === true;
}
