/**
 * HTTP API (API Gateway v2 payload) for screening: the same use cases as the CLI.
 *   GET  /queue                          records waiting for a decision
 *   GET  /status                         counts, agreement, PRISMA flow
 *   POST /records/{id}/decisions         { decision, stage?, reason?, revise? }
 * API Gateway's JWT authorizer has verified the caller's Cognito ID token (`Authorization: Bearer <token>`); the
 * reviewer is its `cognito:username`, the same stable id the workbench records, never a field of the body nor
 * any name the caller chose. A caller in neither the reviewer nor the lead group is refused (403).
 * Deployment (routes, authorizer, table) belongs to the infrastructure.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { ForbiddenError, httpStatusFor, InputError, messageOf } from '#shared/errors.ts';
import { requiredEnv, reviewById } from '#shared/lambda/env.ts';
import type { Eligibility } from '#shared/screening/eligibility.ts';
import { reviewStatus, screeningQueue, screenRecord } from '#shared/screening/screen.ts';
import { createDynamoClient, documentClientFor, storeConfigFromEnv } from '#shared/store/config.ts';
import { DynamoStore } from '#shared/store/dynamo.ts';
import { type Clock, DECISION_VALUES, STAGES, type Store, systemClock } from '#shared/store/ports.ts';
import { identityFromClaims } from '#shared/web/cognito-claims.ts';

/** The parts of an HTTP API v2 event this handler reads: the JWT authorizer's claims among them. */
export interface ScreeningApiEvent {
  routeKey: string;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    authorizer?: {
      jwt?: { claims: Record<string, unknown> };
    };
  };
}

const DecisionBody = z.strictObject({
  decision: z.enum(DECISION_VALUES),
  stage: z.enum(STAGES).default('title-abstract'),
  reason: z.string().min(1).optional(),
  revise: z.boolean().default(false),
});

/**
 * Who the JWT authorizer says is calling: the ID token's `cognito:username` (identityFromClaims, shared with the
 * workbench). Nothing else identifies a reviewer: not an e-mail or name claim, not an access token, not an IAM
 * principal.
 */
export function reviewerFrom(event: ScreeningApiEvent): string {
  const identity = identityFromClaims(event.requestContext.authorizer?.jwt?.claims ?? {});
  if (!identity) {
    throw new ForbiddenError(
      'no reviewer identity in the request: send a Cognito ID token of the review team (Authorization: Bearer)',
    );
  }
  if (identity.roles.length === 0) {
    throw new ForbiddenError(`${identity.id} is in neither the reviewer nor the lead group`);
  }
  return identity.id;
}

function parseBody(event: ScreeningApiEvent): unknown {
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('the request body must be JSON');
  }
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export interface ScreeningApiDeps {
  store: Store;
  clock: Clock;
  eligibility: Eligibility;
}

export function createScreeningHandler(deps: ScreeningApiDeps) {
  return async (event: ScreeningApiEvent): Promise<APIGatewayProxyResultV2> => {
    try {
      // Every route is the review team's only.
      const reviewer = reviewerFrom(event);
      switch (event.routeKey) {
        case 'GET /queue':
          return json(200, await screeningQueue(deps.store));
        case 'GET /status':
          return json(200, await reviewStatus(deps.store));
        case 'POST /records/{id}/decisions': {
          const recordId = event.pathParameters?.id;
          if (!recordId) throw new InputError('the path needs a record id');
          const parsed = DecisionBody.safeParse(parseBody(event));
          if (!parsed.success) {
            const issues = parsed.error.issues.map((issue) =>
              issue.code === 'unrecognized_keys'
                ? `unexpected field(s) ${issue.keys.join(', ')} (the reviewer is taken from your sign-in)`
                : `${issue.path.join('.') || 'body'}: ${issue.message}`,
            );
            throw new InputError(issues.join('; '));
          }
          const { reason, ...rest } = parsed.data;
          const result = await screenRecord(
            { recordId, reviewer, ...rest, ...(reason ? { reason } : {}) },
            deps,
          );
          return json(201, result);
        }
        default:
          return json(404, { error: `no route ${event.routeKey}` });
      }
    } catch (error) {
      const status = httpStatusFor(error);
      if (status === 500) console.error('screening-api: unexpected error', error);
      return json(status, { error: status === 500 ? 'internal error' : messageOf(error) });
    }
  };
}

let deployed: ReturnType<typeof createScreeningHandler> | undefined;

/** The Lambda entry point: one DynamoDB client per process, configured from the environment on first use. */
export async function handler(event: ScreeningApiEvent): Promise<APIGatewayProxyResultV2> {
  if (!deployed) {
    const config = storeConfigFromEnv(process.env);
    const { reviewId } = requiredEnv(process.env, ['reviewId']);
    const store = new DynamoStore(documentClientFor(createDynamoClient(config)), config.tableName);
    deployed = createScreeningHandler({
      store,
      clock: systemClock,
      eligibility: reviewById(reviewId).eligibility,
    });
  }
  return deployed(event);
}
