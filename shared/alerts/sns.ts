import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, TeamAlert } from './notifier.ts';

/** SNS caps subjects at 100 characters. */
const SUBJECT_LIMIT = 100;

/** Publishes each team alert to the review team's SNS topic (the process's one SNS client is passed in). */
export function snsNotifier(client: SNSClient, topicArn: string): Notifier {
  return {
    async send(alert: TeamAlert) {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: alert.subject.slice(0, SUBJECT_LIMIT),
          Message: alert.markdown,
        }),
      );
    },
  };
}
