/** A message to the review team: the digest after a poll, or a conclusion that moved in a reanalysis. */
export interface TeamAlert {
  /** UTC day, YYYY-MM-DD: locally the alert is appended to alerts/<date>.md. */
  date: string;
  /**
   * Stable id of an alert that may be handed over again after a crash (a batch's digest): a notifier that can
   * tell it has delivered this id drops the repeat.
   */
  id?: string;
  subject: string;
  markdown: string;
}

/** Where team alerts go: an SNS topic in AWS; the terminal and alerts/<date>.md locally. */
export interface Notifier {
  send(alert: TeamAlert): Promise<void>;
}
