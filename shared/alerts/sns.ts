import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TeamAlert } from '#shared/analysis/reanalyse.ts';
import type { Digest } from './digest.ts';
import type { Notifier } from './notifier.ts';

/** Publishes each digest to the review team's SNS topic (the process's one SNS client is passed in). */
export function snsNotifier(client: SNSClient, topicArn: string): Notifier {
  return {
    async send(digest: Digest, markdown: string) {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: `living-review: ${digest.newCount} new record(s), ${digest.date}`.slice(0, 100),
          Message: markdown,
        }),
      );
    },
  };
}

/** Sends a team alert about the analysis (a conclusion moved) to the same topic; SNS caps subjects at 100 characters. */
export function snsTeamAlert(client: SNSClient, topicArn: string): (alert: TeamAlert) => Promise<void> {
  return async (alert) => {
    await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: alert.subject.slice(0, 100),
        Message: alert.markdown,
      }),
    );
  };
}
