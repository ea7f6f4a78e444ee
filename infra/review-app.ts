/**
 * The CDK app: both stacks, environment-agnostic so synth needs no AWS credentials, with cdk-nag's AwsSolutions
 * checks on every construct (an unsuppressed finding is an error annotation, which fails `cdk synth`).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadReview } from '#shared/review/load.ts';
import { deployConfigFrom } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface ReviewApp {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/** Builds the app; tests pass context directly, `cdk` passes it through cdk.json and `-c`. */
export function buildApp(context?: Record<string, unknown>): ReviewApp {
  const app = new App(context ? { context } : {});
  const config = deployConfigFrom((key) => app.node.tryGetContext(key));
  // The functions bundle reviews/<id>/: a review that does not load fails synth, not the first invocation.
  loadReview(config.reviewId);
  const prefix = `LivingReview-${config.reviewId}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: `living-review ${config.reviewId}: table, site bucket and CDN (retained)`,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description: `living-review ${config.reviewId}: functions, schedules, alerts and screening API`,
    stateful: stateful.refs,
    config,
  });
  // The stateless stack imports the stateful stack's exports by name, which CDK does not track on its own.
  stateless.addStackDependency(stateful, 'imports the table, bucket and idempotency table exports');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, stateless };
}
