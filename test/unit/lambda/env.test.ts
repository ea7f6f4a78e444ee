import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { requiredEnv, reviewById } from '#shared/lambda/env.ts';

describe('Lambda configuration', () => {
  it('reads the bound variables by setting, trimmed', () => {
    const env = { LIVING_REVIEW_SITE_BUCKET: ' site-bucket ', LIVING_REVIEW_REVIEW_ID: 'group-peer-support' };
    expect(requiredEnv(env, ['siteBucket', 'reviewId'])).toEqual({
      siteBucket: 'site-bucket',
      reviewId: 'group-peer-support',
    });
  });

  it('names every missing or empty variable at once', () => {
    const env = { LIVING_REVIEW_SITE_BUCKET: '  ' };
    expect(() => requiredEnv(env, ['siteBucket', 'alertTopicArn'])).toThrow(ConfigError);
    expect(() => requiredEnv(env, ['siteBucket', 'alertTopicArn'])).toThrow(
      'missing environment variable(s) LIVING_REVIEW_SITE_BUCKET, LIVING_REVIEW_ALERT_TOPIC_ARN',
    );
  });

  it('finds the deployed review by id and names the known ones for an unknown id', () => {
    expect(reviewById('group-peer-support').id).toBe('group-peer-support');
    expect(() => reviewById('statins')).toThrow(ConfigError);
    // Other reviews may sit beside it in reviews/: the message names the setting, the id and the known ones.
    expect(() => reviewById('statins')).toThrow(
      /^LIVING_REVIEW_REVIEW_ID=statins: .*no such review \(known ids: [^)]*\bgroup-peer-support\b/,
    );
  });
});
