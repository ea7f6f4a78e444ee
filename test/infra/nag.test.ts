import { Stack, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { deployContext, WITHOUT_BUNDLING } from '#test/support/infra.ts';
import { buildApp } from '../../infra/review-app.ts';

describe('cdk-nag AwsSolutions checks', () => {
  it('find nothing unacknowledged in either stack, and synth succeeds', () => {
    const { app } = buildApp(deployContext(WITHOUT_BUNDLING));
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  it('are registered in the app, so a finding fails synth', () => {
    const { app } = buildApp(deployContext(WITHOUT_BUNDLING));
    const careless = new Stack(app, 'Careless');
    new Bucket(careless, 'OpenBucket', { blockPublicAccess: BlockPublicAccess.BLOCK_ACLS_ONLY });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });

  it('accept an acknowledgment only for the exact finding it names', () => {
    const { app } = buildApp(deployContext(WITHOUT_BUNDLING));
    const careless = new Stack(app, 'Careless');
    const bucket = new Bucket(careless, 'UnloggedBucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S10', reason: 'a different rule' });
    const rules = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.map((violation) => violation.ruleName);
    expect(rules).toEqual(['AwsSolutions-S1']);
  });
});
