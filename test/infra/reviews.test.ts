import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { reviewById } from '#shared/lambda/env.ts';
import { deployContext, synthesizeReview, WITHOUT_BUNDLING } from '#test/support/infra.ts';
import { bundleReviewCommand } from '../../infra/bundling.ts';

const PROJECT = join(import.meta.dirname, '..', '..');

describe('one deployment per review', () => {
  it('two reviews deploy side by side: the review id names the stacks and is every function’s configuration', () => {
    const smit = synthesizeReview(deployContext({ reviewId: 'smit-2023', ...WITHOUT_BUNDLING }));
    const group = synthesizeReview(deployContext({ ...WITHOUT_BUNDLING }));
    expect([smit.stateful.stackName, smit.stateless.stackName]).toEqual([
      'LivingReview-smit-2023-Stateful',
      'LivingReview-smit-2023-Stateless',
    ]);
    expect(group.stateless.stackName).toBe('LivingReview-group-peer-support-Stateless');
    const functions = Object.values(
      smit.statelessTemplate.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [LAMBDA_ENV.reviewId]: 'smit-2023' } } },
      }),
    );
    const all = Object.values(smit.statelessTemplate.findResources('AWS::Lambda::Function')).filter(
      (resource) => (resource as { Properties: { Handler?: string } }).Properties.Handler === 'index.handler',
    );
    expect(functions.length).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(5);
  });

  it('a review id with no review file fails synth, naming the ids there are', () => {
    expect(() =>
      synthesizeReview(deployContext({ reviewId: 'no-such-review', ...WITHOUT_BUNDLING })),
    ).toThrow(/no such review \(known ids: .*group-peer-support.*smit-2023/);
  });

  it('the bundle carries the review folder where the handler reads it', () => {
    const taskRoot = mkdtempSync(join(tmpdir(), 'task-root-'));
    execSync(bundleReviewCommand(PROJECT, taskRoot, 'smit-2023'));
    const review = reviewById('smit-2023', { LAMBDA_TASK_ROOT: taskRoot });
    expect(review.file).toBe(join(taskRoot, 'reviews', 'smit-2023', 'review.json'));
    expect(review.dataSources[0]?.file).toBe(
      join(taskRoot, 'reviews', 'smit-2023', 'data', 'metapsy-data.csv'),
    );
    expect(() => reviewById('group-peer-support', { LAMBDA_TASK_ROOT: taskRoot })).toThrow(
      /LIVING_REVIEW_REVIEW_ID=group-peer-support: .*no such review/,
    );
  });
});
