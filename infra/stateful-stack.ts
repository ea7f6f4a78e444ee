/**
 * What must outlive any redeploy: the review's table (RETAIN, deletion protection, point-in-time recovery), the
 * table that remembers which scheduled runs already happened, the site with its public address, and the bucket
 * the team's large uploads land in.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { ReviewSite } from './constructs/review-site.ts';
import { ReviewTable } from './constructs/review-table.ts';
import { UploadBucket } from './constructs/upload-bucket.ts';

/**
 * What the stateless stack may use, as imports of exports with fixed names. Explicit exports (rather than CDK's
 * automatic cross-stack references) keep the names stable, so redeploying the functions never blocks on an export
 * in use, and the IAM wildcard findings name a predictable resource.
 */
export interface StatefulRefs {
  tableArn: string;
  tableStreamArn: string;
  idempotencyTableArn: string;
  siteBucketArn: string;
  siteBucketName: string;
  siteUrl: string;
  /** Where the workbench's large uploads land (objects expire after 7 days). */
  uploadBucketArn: string;
  uploadBucketName: string;
}

export class StatefulStack extends Stack {
  readonly table: ReviewTable;
  readonly idempotencyTable: Table;
  readonly site: ReviewSite;
  readonly uploads: UploadBucket;
  readonly refs: StatefulRefs;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.table = new ReviewTable(this, 'ReviewTable');
    // Powertools idempotency records: short-lived (they expire by TTL), so losing them costs nothing.
    this.idempotencyTable = new Table(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.site = new ReviewSite(this, 'Site');
    // Large uploads, logged beside the site's access logs.
    this.uploads = new UploadBucket(this, 'Uploads', { logsBucket: this.site.logsBucket });
    const siteUrl = `https://${this.site.distribution.distributionDomainName}/`;
    const exported = (value: string, name: string) =>
      this.exportValue(value, { name: `${this.stackName}-${name}` });
    if (!this.table.tableStreamArn) throw new Error('the review table must have a stream');
    this.refs = {
      tableArn: exported(this.table.tableArn, 'TableArn'),
      tableStreamArn: exported(this.table.tableStreamArn, 'TableStreamArn'),
      idempotencyTableArn: exported(this.idempotencyTable.tableArn, 'IdempotencyTableArn'),
      siteBucketArn: exported(this.site.bucket.bucketArn, 'SiteBucketArn'),
      siteBucketName: exported(this.site.bucket.bucketName, 'SiteBucketName'),
      siteUrl: exported(siteUrl, 'SiteUrl'),
      uploadBucketArn: exported(this.uploads.bucket.bucketArn, 'UploadBucketArn'),
      uploadBucketName: exported(this.uploads.bucket.bucketName, 'UploadBucketName'),
    };
    new CfnOutput(this, 'SiteUrl', { value: siteUrl });
    // What an operator gives the CLI's --table to import, export or read status on the deployed review.
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
