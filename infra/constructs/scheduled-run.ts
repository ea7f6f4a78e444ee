/**
 * Runs a function on an EventBridge Scheduler schedule. A failed delivery or a failed run is retried, then parked
 * in a dead-letter queue whose depth alarms the team; the payload names the schedule and the scheduled time so the
 * function can recognise a retried run and not do it twice.
 */
import { Aws, Duration, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SCHEDULER_CONTEXT } from '#shared/lambda/scheduled-event.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { wildcardResourceFinding } from './nag.ts';

export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(6);

export interface ScheduledRunProps {
  fn: IFunction;
  expression: string;
  timeZone: string;
  purpose: string;
  alerts: ITopic;
}

export class ScheduledRun extends Construct {
  readonly schedule: Schedule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ScheduledRunProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: `the scheduled ${props.purpose}`,
      alerts: props.alerts,
    });
    // A role per schedule, so what it may invoke is visible and acknowledged here, not on a shared role.
    // The Scheduler invokes asynchronously: its retries and dead-letter queue cover delivery. A run that fails
    // inside the function is retried by Lambda, then recorded in the same queue, so neither kind is lost.
    props.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: SCHEDULE_MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetters.queue),
    });
    // Only schedules of this account may assume it (confused-deputy protection).
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: `living-review: ${props.purpose}`,
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      target: new LambdaInvoke(props.fn, {
        input: ScheduleTargetInput.fromObject({ ...SCHEDULER_CONTEXT }),
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge: SCHEDULE_MAX_EVENT_AGE,
        deadLetterQueue: this.deadLetters.queue,
        role,
      }),
    });
    Validations.of(role).acknowledge({
      id: wildcardResourceFinding(role, props.fn.functionArn, ':*'),
      reason:
        "Scheduler's Lambda target grants invoke on the function and its versions/aliases (<fn>:*); nothing else.",
    });
  }
}
