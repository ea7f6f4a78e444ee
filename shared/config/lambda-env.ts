/** Names of the environment variables the infrastructure sets and the Lambda handlers read: one list, no drift. */
export const LAMBDA_ENV = {
  /** Also read by shared/store/config.ts. */
  table: 'LIVING_REVIEW_TABLE',
  idempotencyTable: 'LIVING_REVIEW_IDEMPOTENCY_TABLE',
  siteBucket: 'LIVING_REVIEW_SITE_BUCKET',
  /** The public address of the page (CloudFront), for absolute links in the feed. */
  siteUrl: 'LIVING_REVIEW_SITE_URL',
  alertTopicArn: 'LIVING_REVIEW_ALERT_TOPIC_ARN',
  /** The NAME of the SSM SecureString parameter holding the NCBI API key, never the key itself. */
  ncbiKeyParameter: 'LIVING_REVIEW_NCBI_KEY_PARAMETER',
  reviewId: 'LIVING_REVIEW_REVIEW_ID',
  /** The workbench's Cognito user pool (sign-in, and the authorizer's token check). */
  cognitoUserPoolId: 'LIVING_REVIEW_COGNITO_USER_POOL_ID',
  /** Its public app client (authorization code with PKCE, no secret): the audience of the ID tokens. */
  cognitoClientId: 'LIVING_REVIEW_COGNITO_CLIENT_ID',
  /** The user pool domain's address, https://<prefix>.auth.<region>.amazoncognito.com (hosted sign-in). */
  cognitoDomainUrl: 'LIVING_REVIEW_COGNITO_DOMAIN_URL',
  /** <workbench address>/signin/callback, as the app client lists it. */
  cognitoCallbackUrl: 'LIVING_REVIEW_COGNITO_CALLBACK_URL',
  /** The upload bucket: the import function reads uploads from it, the workbench signs upload forms for it. */
  uploadBucket: 'LIVING_REVIEW_UPLOAD_BUCKET',
} as const;
