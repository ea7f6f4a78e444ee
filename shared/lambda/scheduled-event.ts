/**
 * The payload EventBridge Scheduler sends the scheduled functions. The infrastructure builds it from the
 * Scheduler's context attributes; the handlers validate it. A retried delivery of the same run carries the same
 * schedule ARN and scheduled time, which is what the idempotency key is made of (the execution id is documented
 * as per attempted invocation, so it alone might let a retry run twice).
 */
import * as z from 'zod';
import { InputError } from '#shared/errors.ts';

export const SCHEDULER_CONTEXT = {
  scheduleArn: '<aws.scheduler.schedule-arn>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
} as const;

export const ScheduledRunSchema = z.object({
  scheduleArn: z.string().startsWith('arn:', 'scheduleArn must be an ARN'),
  scheduledTime: z.iso.datetime({ offset: true }),
  executionId: z.string().min(1),
});

export type ScheduledRun = z.infer<typeof ScheduledRunSchema>;

/** JMESPath over the payload for Powertools idempotency: one key per schedule and scheduled time. */
export const SCHEDULED_RUN_KEY = '[scheduleArn, scheduledTime]';

export function parseScheduledRun(event: unknown): ScheduledRun {
  const parsed = ScheduledRunSchema.safeParse(event);
  if (!parsed.success) {
    throw new InputError(
      `not a scheduled run: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
