/**
 * The workbench Lambda as deployed (functions/workbench/handler.ts): built from the environment the
 * infrastructure binds, on dynalite standing in for the table, answering API Gateway's payload 2.0 events through
 * hono/aws-lambda. Only Cognito's keys (a local key pair given to the real verifier) and the bucket are stand-ins.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LAMBDA_ENV } from '#shared/config/lambda-env.ts';
import { ConfigError } from '#shared/errors.ts';
import { ingest } from '#shared/records/ingest.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { cognitoIdTokenVerifier, SESSION_COOKIE } from '#shared/web/cognito-tokens.ts';
import { CSRF_COOKIE, CSRF_FIELD } from '#shared/web/cookies.ts';
import { TEST_COGNITO, type TestKeys, testKeys } from '#test/support/cognito.ts';
import { fakeS3 } from '#test/support/fake-s3.ts';
import { bibRecord, memoryStore, steppingClock } from '#test/support/store.ts';
import { lambdaHandlerFor, workbenchFromEnv } from '../../../functions/workbench/handler.ts';

const RECORD = 'pubmed:1';
const CSRF = 'k'.repeat(40);

let local: LocalStore;
let keys: TestKeys;
let env: Record<string, string>;
let handle: ReturnType<typeof lambdaHandlerFor>;

beforeAll(async () => {
  local = await memoryStore();
  keys = testKeys();
  await ingest(
    [bibRecord({ id: RECORD, pmid: '1' })],
    { store: local.store, clock: steppingClock() },
    { dualFraction: 0 },
  );
  // The SDK's default credential chain reads these; dynalite accepts any.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  env = {
    AWS_REGION: local.config.region,
    LIVING_REVIEW_DYNAMODB_ENDPOINT: String(local.config.endpoint),
    [LAMBDA_ENV.table]: local.config.tableName,
    [LAMBDA_ENV.reviewId]: 'group-peer-support',
    [LAMBDA_ENV.alertTopicArn]: 'arn:aws:sns:eu-west-2:123456789012:alerts',
    [LAMBDA_ENV.siteBucket]: 'site',
    [LAMBDA_ENV.siteUrl]: 'https://d111111abcdef8.cloudfront.net/',
    [LAMBDA_ENV.cognitoUserPoolId]: TEST_COGNITO.userPoolId,
    [LAMBDA_ENV.cognitoClientId]: TEST_COGNITO.clientId,
    [LAMBDA_ENV.cognitoDomainUrl]: TEST_COGNITO.domainUrl,
    [LAMBDA_ENV.cognitoCallbackUrl]: TEST_COGNITO.callbackUrl,
  };
  handle = lambdaHandlerFor(
    workbenchFromEnv(env, {
      verifyIdToken: cognitoIdTokenVerifier(TEST_COGNITO, { jwks: keys.jwks }),
      s3: fakeS3('site').calls,
    }),
  );
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await local?.close();
});

/** A request as API Gateway's HTTP API hands it over (payload 2.0: cookies apart, a form body base64-encoded). */
function event(
  method: string,
  path: string,
  options: { cookies?: string[]; form?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const [rawPath = path, rawQueryString = ''] = path.split('?');
  return {
    version: '2.0',
    routeKey: 'ANY /{proxy+}',
    rawPath,
    rawQueryString,
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: {
      host: 'abc123.execute-api.eu-west-2.amazonaws.com',
      'x-forwarded-proto': 'https',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'r1',
      routeKey: 'ANY /{proxy+}',
      stage: '$default',
      time: '01/Dec/2026:09:00:00 +0000',
      timeEpoch: 1_796_115_600_000,
    },
    ...(body
      ? { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
}

const header = (result: APIGatewayProxyStructuredResultV2, name: string) =>
  (result.headers as Record<string, string> | undefined)?.[name];
const bodyText = (result: APIGatewayProxyStructuredResultV2) =>
  result.isBase64Encoded ? Buffer.from(String(result.body), 'base64').toString('utf8') : String(result.body);

describe('the workbench Lambda', () => {
  it('sends a visitor without a session to the sign-in', async () => {
    const result = await handle(event('GET', '/'));
    expect(result.statusCode).toBe(303);
    expect(header(result, 'location')).toBe('/signin');
  });

  it("starts Cognito's hosted sign-in, with the sign-in cookie in the response's cookie list", async () => {
    const result = await handle(event('GET', '/signin'));
    expect(result.statusCode).toBe(303);
    expect(String(header(result, 'location'))).toMatch(
      new RegExp(
        `^${TEST_COGNITO.domainUrl}/oauth2/authorize\\?response_type=code&client_id=${TEST_COGNITO.clientId}&`,
      ),
    );
    expect(result.cookies?.find((cookie) => cookie.startsWith('lr_signin='))).toMatch(/; Secure/);
  });

  it('shows the status page to a signed-in reviewer, by the name the token gives', async () => {
    const result = await handle(event('GET', '/', { cookies: [`${SESSION_COOKIE}=${keys.idToken()}`] }));
    expect(result.statusCode).toBe(200);
    expect(bodyText(result)).toContain('Signed in as ana@example.org (reviewer)');
    // Every cookie it sets is Secure (served over HTTPS only).
    for (const cookie of result.cookies ?? []) expect(cookie).toMatch(/; Secure/);
  });

  it("records a decision under the token's user name, from a form posted through API Gateway", async () => {
    const result = await handle(
      event('POST', `/records/${encodeURIComponent(RECORD)}/decisions`, {
        cookies: [`${SESSION_COOKIE}=${keys.idToken()}`, `${CSRF_COOKIE}=${CSRF}`],
        form: { [CSRF_FIELD]: CSRF, decision: 'include', stage: 'title-abstract', reviewer: 'mallory' },
      }),
    );
    expect(result.statusCode).toBe(303);
    const decisions = await local.store.decisionsFor(RECORD);
    expect(decisions.map((decision) => [decision.reviewer, decision.decision])).toEqual([['ana', 'include']]);
  });

  it('refuses the same form without its CSRF token and stores nothing', async () => {
    const before = await local.store.decisionsFor(RECORD);
    const result = await handle(
      event('POST', `/records/${encodeURIComponent(RECORD)}/decisions`, {
        cookies: [
          `${SESSION_COOKIE}=${keys.idToken({ 'cognito:username': 'ben' })}`,
          `${CSRF_COOKIE}=${CSRF}`,
        ],
        form: { decision: 'exclude', stage: 'title-abstract' },
      }),
    );
    expect(result.statusCode).toBe(403);
    expect(await local.store.decisionsFor(RECORD)).toEqual(before);
  });

  it('signs large-upload forms for the upload bucket bound to it, sending S3 back to its public landing page', async () => {
    const session = [`${SESSION_COOKIE}=${keys.idToken()}`];
    const plain = await handle(event('GET', '/imports', { cookies: session }));
    expect(bodyText(plain)).not.toContain('Large files');

    const withUploads = lambdaHandlerFor(
      workbenchFromEnv(
        { ...env, [LAMBDA_ENV.uploadBucket]: 'living-review-uploads' },
        {
          verifyIdToken: cognitoIdTokenVerifier(TEST_COGNITO, { jwks: keys.jwks }),
          s3: fakeS3('site').calls,
        },
      ),
    );
    const result = await withUploads(event('GET', '/imports?large=ris', { cookies: session }));
    expect(result.statusCode).toBe(200);
    const bucketUrl = `https://living-review-uploads.s3.${local.config.region}.amazonaws.com`;
    expect(header(result, 'content-security-policy')).toContain(`form-action 'self' ${bucketUrl};`);
    const html = bodyText(result);
    expect(html).toContain(`<form method="post" action="${bucketUrl}/"`);
    expect(html).toContain(
      '<input type="hidden" name="success_action_redirect" value="https://abc123.execute-api.eu-west-2.amazonaws.com/imports/uploaded">',
    );
    // The uploader is the token's user name, as with decisions.
    expect(html).toContain('<input type="hidden" name="x-amz-meta-uploaded-by" value="ana">');
  });

  it('names every missing setting at cold start', () => {
    const { [LAMBDA_ENV.cognitoClientId]: _client, [LAMBDA_ENV.cognitoDomainUrl]: _domain, ...partial } = env;
    expect(() => workbenchFromEnv(partial)).toThrow(ConfigError);
    expect(() => workbenchFromEnv(partial)).toThrow(
      /LIVING_REVIEW_COGNITO_CLIENT_ID, LIVING_REVIEW_COGNITO_DOMAIN_URL/,
    );
  });
});
