import { describe, expect, it } from 'vitest';
import { InputError } from '#shared/errors.ts';
import { parseScheduledRun } from '#shared/lambda/scheduled-event.ts';

const RUN = {
  scheduleArn: 'arn:aws:scheduler:eu-west-2:123456789012:schedule/default/poll-pubmed',
  scheduledTime: '2026-11-21T05:00:00Z',
  executionId: 'd32c5kddcf5bb8c3',
};

describe('the scheduled run payload', () => {
  it('accepts what EventBridge Scheduler fills in', () => {
    expect(parseScheduledRun(RUN)).toEqual(RUN);
  });

  it('refuses a payload whose placeholders were never filled, naming the field', () => {
    const unfilled = { ...RUN, scheduledTime: '<aws.scheduler.scheduled-time>' };
    expect(() => parseScheduledRun(unfilled)).toThrow(InputError);
    expect(() => parseScheduledRun(unfilled)).toThrow(/scheduledTime/);
  });

  it('refuses an event without a schedule ARN, which the idempotency key needs', () => {
    const { scheduleArn: _dropped, ...withoutArn } = RUN;
    expect(() => parseScheduledRun(withoutArn)).toThrow(/scheduleArn/);
  });
});
