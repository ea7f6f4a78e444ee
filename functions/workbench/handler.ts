/**
 * The review team's workbench on Lambda, behind its HTTP API (infra/constructs/workbench-api.ts): the same Hono
 * app as `living-review workbench`, on the review's DynamoDB table, the team's SNS topic and the site bucket, with
 * Cognito's hosted sign-in instead of picking a name. API Gateway's authorizer has already checked the session
 * cookie on every route but the sign-in ones; the app checks it again on every request and takes the reviewer
 * from it. With an upload bucket bound, the imports page also signs forms for large files (shared/uploads/).
 * Built once per process, on the first request.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { snsNotifier } from '#shared/alerts/sns.ts';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { publishPage } from '#shared/cycle.ts';
import { requiredEnv, reviewById } from '#shared/lambda/env.ts';
import { type S3ObjectCalls, s3ObjectCalls, s3SiteWriter } from '#shared/publishing/s3-site-writer.ts';
import { createDynamoClient, documentClientFor, storeConfigFromEnv } from '#shared/store/config.ts';
import { DynamoStore } from '#shared/store/dynamo.ts';
import { systemClock } from '#shared/store/ports.ts';
import { s3UploadPresigner } from '#shared/uploads/presign.ts';
import { createWorkbench } from '#shared/web/app.ts';
import { cognitoAuthenticator } from '#shared/web/cognito-auth.ts';
import {
  type CognitoSettings,
  cognitoIdTokenVerifier,
  cognitoTokenEndpoint,
  type IdTokenVerifier,
  type TokenEndpoint,
} from '#shared/web/cognito-tokens.ts';

/** The outside calls a test replaces; in AWS each is built from the environment. */
export interface WorkbenchOverrides {
  verifyIdToken?: IdTokenVerifier;
  exchangeCode?: TokenEndpoint;
  s3?: S3ObjectCalls;
}

/** The workbench app as deployed, from the variables the infrastructure binds. */
export function workbenchFromEnv(
  env: Record<string, string | undefined>,
  overrides: WorkbenchOverrides = {},
): Hono {
  const storeConfig = storeConfigFromEnv(env);
  const settings = requiredEnv(env, [
    'reviewId',
    'alertTopicArn',
    'siteBucket',
    'cognitoUserPoolId',
    'cognitoClientId',
    'cognitoDomainUrl',
    'cognitoCallbackUrl',
  ]);
  const review = reviewById(settings.reviewId, env);
  const store = new DynamoStore(documentClientFor(createDynamoClient(storeConfig)), storeConfig.tableName);
  const notifier = snsNotifier(new SNSClient({ region: storeConfig.region }), settings.alertTopicArn);
  const site = s3SiteWriter(
    overrides.s3 ?? s3ObjectCalls(new S3Client({ region: storeConfig.region })),
    settings.siteBucket,
  );
  const siteUrl = env[LAMBDA_ENV.siteUrl]?.trim();
  // Large files go straight to the upload bucket through forms signed with this function's role (s3:PutObject on
  // uploads/*); the import function imports them. Without a bucket the imports page takes small files only.
  const uploadBucket = env[LAMBDA_ENV.uploadBucket]?.trim();
  const cognito: CognitoSettings = {
    userPoolId: settings.cognitoUserPoolId,
    clientId: settings.cognitoClientId,
    domainUrl: settings.cognitoDomainUrl,
    callbackUrl: settings.cognitoCallbackUrl,
  };
  // Served over HTTPS only (API Gateway), so every cookie is Secure.
  const cookies = { secure: true };
  return createWorkbench({
    review,
    store,
    clock: systemClock,
    notifier,
    auth: cognitoAuthenticator({
      settings: cognito,
      verifyIdToken: overrides.verifyIdToken ?? cognitoIdTokenVerifier(cognito),
      exchangeCode: overrides.exchangeCode ?? cognitoTokenEndpoint(cognito),
      cookies,
    }),
    cookies,
    ...(uploadBucket
      ? { uploads: s3UploadPresigner(new S3Client({ region: storeConfig.region }), uploadBucket) }
      : {}),
    publish: () =>
      publishPage({
        review,
        store,
        clock: systemClock,
        notifier,
        site,
        siteLocation: `s3://${settings.siteBucket}/`,
        ...(siteUrl ? { siteUrl } : {}),
      }),
  });
}

type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's HTTP API events (payload 2.0) in, its responses out, cookies included. */
export function lambdaHandlerFor(app: Hono): LambdaHandler {
  return handle(app) as unknown as LambdaHandler;
}

let deployed: LambdaHandler | undefined;

export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  deployed ??= lambdaHandlerFor(workbenchFromEnv(process.env));
  return deployed(event, context);
}
