/**
 * The two conversations with Amazon Cognito the workbench has, as ports: verifying an ID token (aws-jwt-verify:
 * signature against the user pool's published keys, issuer, expiry, token use and audience) and trading an
 * authorization code for tokens at the user pool's token endpoint. The adapters here talk to Cognito; tests pass
 * their own keys to the same verifier and a fake token endpoint, so no test needs the network.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { ConfigError } from '#shared/errors.ts';

/**
 * The workbench's session cookie: the verified ID token itself (about 1 KB, HttpOnly, Secure, SameSite=Strict),
 * checked again on every request by the workbench and by API Gateway's authorizer in front of it.
 */
export const SESSION_COOKIE = 'lr_id_token';

export interface CognitoSettings {
  userPoolId: string;
  /** The app client: public (no secret), authorization-code grant with PKCE. */
  clientId: string;
  /** The user pool domain's address, https://<prefix>.auth.<region>.amazoncognito.com (the hosted sign-in). */
  domainUrl: string;
  /** Where Cognito sends the browser back with a code: <workbench address>/signin/callback, as the client lists it. */
  callbackUrl: string;
}

/** The claims of a valid ID token of this user pool and client; rejects when the token is not one. */
export type IdTokenVerifier = (token: string) => Promise<Record<string, unknown>>;

export interface CodeExchange {
  code: string;
  /** The redirect_uri the authorization request used (the token endpoint checks they match). */
  redirectUri: string;
  /** The PKCE secret whose hash the authorization request carried. */
  codeVerifier: string;
}

/** Trades an authorization code at the user pool's /oauth2/token; resolves to the ID token it returns. */
export type TokenEndpoint = (exchange: CodeExchange) => Promise<string>;

/** The token endpoint refused, or answered with something that is not tokens. */
export class TokenExchangeError extends Error {
  override name = 'TokenExchangeError';
}

const HTTPS_ORIGIN = /^https:\/\/[^/?#]+\/?$/;

/** Checks the settings once, at cold start, so a bad binding names itself instead of failing a sign-in. */
export function checkCognitoSettings(settings: CognitoSettings): CognitoSettings {
  if (!HTTPS_ORIGIN.test(settings.domainUrl)) {
    throw new ConfigError(`Cognito domain ${settings.domainUrl} must be an https:// origin with no path`);
  }
  let callback: URL;
  try {
    callback = new URL(settings.callbackUrl);
  } catch {
    throw new ConfigError(`Cognito callback URL ${settings.callbackUrl} is not a URL`);
  }
  if (callback.protocol !== 'https:') {
    throw new ConfigError(`Cognito callback URL ${settings.callbackUrl} must be https`);
  }
  if (callback.pathname !== '/signin/callback' || callback.search !== '' || callback.hash !== '') {
    throw new ConfigError(`Cognito callback URL ${settings.callbackUrl} must end in /signin/callback`);
  }
  return { ...settings, domainUrl: settings.domainUrl.replace(/\/$/, '') };
}

/**
 * aws-jwt-verify's verifier for this pool's ID tokens issued to this client. It downloads the pool's JWKS on
 * first use and caches it for the process. `jwks` preloads keys instead (tests; never needed in AWS).
 */
export function cognitoIdTokenVerifier(
  settings: Pick<CognitoSettings, 'userPoolId' | 'clientId'>,
  options: { jwks?: Jwks } = {},
): IdTokenVerifier {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: settings.userPoolId,
    tokenUse: 'id',
    clientId: settings.clientId,
  });
  if (options.jwks) verifier.cacheJwks(options.jwks);
  return async (token) => (await verifier.verify(token)) as unknown as Record<string, unknown>;
}

/** How long the token endpoint may take before the sign-in is reported as failed. */
const TOKEN_TIMEOUT_MS = 5_000;

/**
 * The user pool's token endpoint for a public client: the code, the redirect URI and the PKCE verifier, no
 * client secret (the client has none).
 */
export function cognitoTokenEndpoint(
  settings: Pick<CognitoSettings, 'domainUrl' | 'clientId'>,
  fetchFn: typeof fetch = fetch,
): TokenEndpoint {
  return async ({ code, redirectUri, codeVerifier }) => {
    let response: Response;
    try {
      response = await fetchFn(`${settings.domainUrl.replace(/\/$/, '')}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: settings.clientId,
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        }).toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
    } catch (error) {
      throw new TokenExchangeError(`the token endpoint could not be reached: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok) {
      const reason = typeof body?.error === 'string' ? ` (${body.error})` : '';
      throw new TokenExchangeError(`the token endpoint answered ${response.status}${reason}`);
    }
    if (typeof body?.id_token !== 'string' || body.id_token === '') {
      throw new TokenExchangeError('the token endpoint answered without an ID token');
    }
    return body.id_token;
  };
}
