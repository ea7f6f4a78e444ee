import type { Digest } from './digest.ts';

/** Where digests go: an SNS topic in AWS, the terminal and alerts/<date>.md locally. */
export interface Notifier {
  send(digest: Digest, markdown: string): Promise<void>;
}
