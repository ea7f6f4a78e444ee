import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { deployContext } from '#test/support/infra.ts';
import { deployConfigFrom } from '../../infra/config.ts';

const configFrom = (overrides: Record<string, unknown>) => {
  const context = deployContext(overrides);
  return deployConfigFrom((key) => context[key]);
};

describe('deployment context', () => {
  it('splits a comma-separated -c alertEmails list and drops empty entries', () => {
    expect(configFrom({ alertEmails: ' a@example.org, ,b@example.org ' }).alertEmails).toEqual([
      'a@example.org',
      'b@example.org',
    ]);
  });

  it('accepts an empty alert list (no subscriptions)', () => {
    expect(configFrom({ alertEmails: '' }).alertEmails).toEqual([]);
  });

  it('names the context key of a malformed e-mail address', () => {
    expect(() => configFrom({ alertEmails: 'team-at-example.org' })).toThrow(/context alertEmails\.0/);
  });

  it('refuses a schedule that is not a cron() or rate() expression, naming the key', () => {
    expect(() => configFrom({ pubmedSchedule: 'daily' })).toThrow(ConfigError);
    expect(() => configFrom({ pubmedSchedule: 'daily' })).toThrow(/context pubmedSchedule/);
  });

  it('refuses an SSM parameter name without the leading slash', () => {
    expect(() => configFrom({ ncbiKeyParameter: 'ncbi-key' })).toThrow(/context ncbiKeyParameter/);
  });

  it('names a missing key', () => {
    expect(() => configFrom({ reviewId: undefined })).toThrow(/context reviewId/);
  });
});
