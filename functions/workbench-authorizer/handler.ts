/**
 * API Gateway's Lambda REQUEST authorizer in front of the workbench (simple responses): a request passes only
 * with a session cookie holding an ID token of the review's user pool and app client that aws-jwt-verify accepts
 * (signature, issuer, expiry, token use, audience) for a user in the reviewer or lead group. The sign-in routes
 * and the stylesheet and script have no authorizer (infra/constructs/workbench-api.ts); everything else is
 * checked here before the workbench runs, and the workbench checks the same token again.
 */
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { requiredEnv } from '#shared/lambda/env.ts';
import { identityFromClaims } from '#shared/web/cognito-claims.ts';
import { cognitoIdTokenVerifier, type IdTokenVerifier, SESSION_COOKIE } from '#shared/web/cognito-tokens.ts';

/** The parts of the event this handler reads: payload 2.0 lists cookies apart from the headers. */
export type WorkbenchAuthorizerEvent = Pick<APIGatewayRequestAuthorizerEventV2, 'headers'> & {
  cookies?: string[];
};

export type WorkbenchAuthorizerResult =
  | APIGatewaySimpleAuthorizerResult
  | APIGatewaySimpleAuthorizerWithContextResult<{ username: string }>;

/** The session cookie's value: from the event's cookie list, else from a Cookie header. */
export function sessionToken(event: WorkbenchAuthorizerEvent): string | undefined {
  const header = event.headers?.cookie ?? event.headers?.Cookie;
  const pairs = event.cookies ?? header?.split(';') ?? [];
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) return pair.slice(at + 1).trim();
  }
  return undefined;
}

const DENY: APIGatewaySimpleAuthorizerResult = { isAuthorized: false };

export function createWorkbenchAuthorizer(verifyIdToken: IdTokenVerifier) {
  return async (event: WorkbenchAuthorizerEvent): Promise<WorkbenchAuthorizerResult> => {
    const token = sessionToken(event);
    if (!token) return DENY;
    let claims: Record<string, unknown>;
    try {
      claims = await verifyIdToken(token);
    } catch {
      return DENY;
    }
    const identity = identityFromClaims(claims);
    if (!identity || identity.roles.length === 0) return DENY;
    // The user name goes to the access log ($context.authorizer.username); the workbench reads its own token.
    return { isAuthorized: true, context: { username: identity.id } };
  };
}

let deployed: ReturnType<typeof createWorkbenchAuthorizer> | undefined;

export async function handler(event: WorkbenchAuthorizerEvent): Promise<WorkbenchAuthorizerResult> {
  if (!deployed) {
    const settings = requiredEnv(process.env, ['cognitoUserPoolId', 'cognitoClientId']);
    deployed = createWorkbenchAuthorizer(
      cognitoIdTokenVerifier({ userPoolId: settings.cognitoUserPoolId, clientId: settings.cognitoClientId }),
    );
  }
  return deployed(event);
}
