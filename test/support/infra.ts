import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type ReviewApp } from '../../infra/review-app.ts';

const root = join(import.meta.dirname, '..', '..');

/** The context a deployment gets from cdk.json, plus an e-mail list so subscriptions can be checked. */
export function deployContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return { ...cdkJson.context, alertEmails: 'lead@example.org,second@example.org', ...overrides };
}

/** Skips esbuild bundling (assets become placeholders): for tests about the construct tree, not the bundles. */
export const WITHOUT_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export interface SynthesizedReview extends ReviewApp {
  stateful: ReviewApp['stateful'];
  statefulTemplate: Template;
  statelessTemplate: Template;
}

export function synthesizeReview(context: Record<string, unknown> = deployContext()): SynthesizedReview {
  const built = buildApp(context);
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
  };
}
