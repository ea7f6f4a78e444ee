/**
 * cdk-nag v3 acknowledges a wildcard finding only under its exact id, which embeds the resource as cdk-nag
 * flattens it ("<Fn.Arn>:*", "<export name>/*"). Building the id with cdk-nag's own flattening keeps each
 * acknowledgment next to the grant it explains, and exactly as narrow as the finding.
 */
import { Stack } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export function wildcardResourceFinding(scope: IConstruct, arn: string, suffix: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}${suffix}]`;
}
