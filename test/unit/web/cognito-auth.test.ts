import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { cognitoAuthenticator, SESSION_COOKIE, SIGNIN_COOKIE } from '#shared/web/cognito-auth.ts';
import { identityFromClaims, rolesFromGroups } from '#shared/web/cognito-claims.ts';
import {
  type CodeExchange,
  checkCognitoSettings,
  cognitoIdTokenVerifier,
  cognitoTokenEndpoint,
  TokenExchangeError,
} from '#shared/web/cognito-tokens.ts';
import { CSRF_COOKIE, CSRF_FIELD } from '#shared/web/cookies.ts';
import type { Identity } from '#shared/web/identity.ts';
import { rsaKeyPair, TEST_COGNITO, type TestKeys, tampered, testKeys } from '#test/support/cognito.ts';

let keys: TestKeys;
beforeAll(() => {
  keys = testKeys();
});

/** The authenticator on a bare app, with a page that says who `identify` finds. */
function harness(tokenFor: (exchange: CodeExchange) => string = () => keys.idToken()) {
  const exchanges: CodeExchange[] = [];
  const auth = cognitoAuthenticator({
    settings: TEST_COGNITO,
    verifyIdToken: cognitoIdTokenVerifier(TEST_COGNITO, { jwks: keys.jwks }),
    exchangeCode: async (exchange) => {
      exchanges.push(exchange);
      return tokenFor(exchange);
    },
    cookies: { secure: true },
  });
  const app = new Hono();
  auth.mount(app);
  app.get('/me', async (c) => c.json(await auth.identify(c)));
  return { app, exchanges };
}

const setCookies = (response: Response) => response.headers.getSetCookie();
const cookieNamed = (response: Response, name: string) =>
  setCookies(response).find((cookie) => cookie.startsWith(`${name}=`));
const cookieValue = (cookie: string | undefined) =>
  cookie?.split(';')[0]?.split('=').slice(1).join('=') ?? '';

async function identityWith(app: Hono, token: string): Promise<Identity | null> {
  const response = await app.request('/me', { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
  return (await response.json()) as Identity | null;
}

/** Starts a sign-in; returns the state Cognito would echo and the cookie the browser would send back. */
async function startSignIn(app: Hono) {
  const response = await app.request('/signin');
  const location = new URL(String(response.headers.get('location')));
  const cookie = cookieValue(cookieNamed(response, SIGNIN_COOKIE));
  return { response, location, cookie, state: String(location.searchParams.get('state')) };
}

async function callback(app: Hono, query: string, cookie?: string) {
  return app.request(`/signin/callback?${query}`, {
    headers: cookie === undefined ? {} : { cookie: `${SIGNIN_COOKIE}=${cookie}` },
  });
}

describe('GET /signin', () => {
  it("sends the browser to the user pool's authorize endpoint with a state and a PKCE challenge", async () => {
    const { app } = harness();
    const { response, location, cookie, state } = await startSignIn(app);
    expect(response.status).toBe(303);
    expect(`${location.origin}${location.pathname}`).toBe(`${TEST_COGNITO.domainUrl}/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: 'code',
      client_id: TEST_COGNITO.clientId,
      redirect_uri: TEST_COGNITO.callbackUrl,
      scope: 'openid email',
      state,
      code_challenge: expect.any(String),
      code_challenge_method: 'S256',
    });
    const [keptState, verifier] = cookie.split('.');
    expect(keptState).toBe(state);
    expect(state.length).toBeGreaterThanOrEqual(43);
    expect(location.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(String(verifier)).digest('base64url'),
    );
  });

  it('keeps the state in a short-lived HttpOnly, Secure, SameSite=Lax cookie for the sign-in paths only', async () => {
    const { app } = harness();
    const { response } = await startSignIn(app);
    const cookie = String(cookieNamed(response, SIGNIN_COOKIE));
    expect(cookie).toMatch(/; Max-Age=600/);
    expect(cookie).toMatch(/; Path=\/signin/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it('uses a new state every time', async () => {
    const { app } = harness();
    const first = await startSignIn(app);
    const second = await startSignIn(app);
    expect(first.state).not.toBe(second.state);
    expect(first.cookie).not.toBe(second.cookie);
  });

  it('sends someone already signed in to the workbench instead', async () => {
    const { app } = harness();
    const response = await app.request('/signin', {
      headers: { cookie: `${SESSION_COOKIE}=${keys.idToken()}` },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
  });
});

describe('GET /signin/callback', () => {
  it('trades the code with the PKCE verifier and keeps the ID token in a Strict, Secure, HttpOnly cookie', async () => {
    const { app, exchanges } = harness();
    const { cookie, state } = await startSignIn(app);
    const response = await callback(app, `code=the-code&state=${state}`, cookie);
    expect(exchanges).toEqual([
      { code: 'the-code', redirectUri: TEST_COGNITO.callbackUrl, codeVerifier: cookie.split('.')[1] },
    ]);
    const session = String(cookieNamed(response, SESSION_COOKIE));
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Path=\//);
    const maxAge = Number(/Max-Age=(\d+)/.exec(session)?.[1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);
    // The sign-in cookie is used up.
    expect(cookieNamed(response, SIGNIN_COOKIE)).toMatch(/Max-Age=0/);
    expect(await identityWith(app, cookieValue(session))).toEqual({
      id: 'ana',
      name: 'ana@example.org',
      roles: ['reviewer'],
    });
  });

  it('goes on to the workbench from a page of its own, so the Strict cookie is sent (same-site navigation)', async () => {
    const { app } = harness();
    const { cookie, state } = await startSignIn(app);
    const response = await callback(app, `code=c&state=${state}`, cookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=/">');
    expect(html).toContain('<a href="/">Continue to the workbench</a>');
  });

  it.each([
    ['a state that is not the one started', (state: string) => `code=c&state=${state}x`, true],
    ['no state', () => 'code=c', true],
    ['no code', (state: string) => `state=${state}`, true],
    [
      'no sign-in cookie (started in another browser, or expired)',
      (state: string) => `code=c&state=${state}`,
      false,
    ],
  ])('refuses %s without trading the code', async (_, query, withCookie) => {
    const { app, exchanges } = harness();
    const { cookie, state } = await startSignIn(app);
    const response = await callback(app, query(state), withCookie ? cookie : undefined);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Sign-in expired');
    expect(exchanges).toEqual([]);
    expect(cookieNamed(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a state replayed after the sign-in cookie was used', async () => {
    const { app } = harness();
    const { cookie, state } = await startSignIn(app);
    const first = await callback(app, `code=c&state=${state}`, cookie);
    expect(first.status).toBe(200);
    // The browser dropped the cookie (Max-Age=0); a second use of the link arrives without it.
    const again = await callback(app, `code=c&state=${state}`);
    expect(again.status).toBe(400);
    expect(cookieNamed(again, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a user in neither the reviewer nor the lead group with a clear 403 page, keeping no session', async () => {
    const { app } = harness(() => keys.idToken({ 'cognito:groups': ['observers'] }));
    const { cookie, state } = await startSignIn(app);
    const response = await callback(app, `code=c&state=${state}`, cookie);
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain('Not a member of the review team yet');
    expect(html).toContain('ana@example.org');
    expect(html).toContain('neither the reviewer nor the lead group');
    expect(cookieNamed(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a user without any group claim the same way', async () => {
    const { app } = harness(() => keys.idToken({ 'cognito:groups': undefined }));
    const { cookie, state } = await startSignIn(app);
    expect((await callback(app, `code=c&state=${state}`, cookie)).status).toBe(403);
  });

  it.each([
    ['issued to another client', () => keys.idToken({ aud: 'someotherclient' })],
    ['expired', () => keys.idToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an access token', () => keys.idToken({ token_use: 'access' })],
  ])('keeps no session when the token endpoint returns a token %s', async (_, token) => {
    const { app } = harness(token);
    const { cookie, state } = await startSignIn(app);
    const response = await callback(app, `code=c&state=${state}`, cookie);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('could not be verified');
    expect(cookieNamed(response, SESSION_COOKIE)).toBeUndefined();
  });

  it('reports a failed code exchange and keeps no session', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app } = harness(() => {
      throw new TokenExchangeError('the token endpoint answered 400 (invalid_grant)');
    });
    const { cookie, state } = await startSignIn(app);
    const response = await callback(app, `code=c&state=${state}`, cookie);
    expect(response.status).toBe(400);
    expect(cookieNamed(response, SESSION_COOKIE)).toBeUndefined();
    expect(String(logged.mock.calls[0]?.[1])).toContain('invalid_grant');
    logged.mockRestore();
  });

  it("shows Cognito's error, escaped, when the sign-in was refused there", async () => {
    const { app, exchanges } = harness();
    const { cookie } = await startSignIn(app);
    const response = await callback(app, 'error=access_denied<script>', cookie);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('access_denied&lt;script&gt;');
    expect(exchanges).toEqual([]);
  });
});

describe('identify', () => {
  it('maps a valid token to the stable user name, the e-mail as display name and the roles of its groups', async () => {
    const { app } = harness();
    expect(await identityWith(app, keys.idToken({ 'cognito:groups': ['lead'] }))).toEqual({
      id: 'ana',
      name: 'ana@example.org',
      roles: ['reviewer', 'lead'],
    });
  });

  it('ignores names a caller could choose: the id is cognito:username even when other claims differ', async () => {
    const { app } = harness();
    const identity = await identityWith(
      app,
      keys.idToken({
        'cognito:username': 'ana',
        name: 'Ben',
        preferred_username: 'ben',
        email: 'ben@example.org',
      }),
    );
    expect(identity?.id).toBe('ana');
  });

  it.each([
    ['issued to another client (wrong audience)', () => keys.idToken({ aud: 'someotherclient' })],
    ['expired', () => keys.idToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    [
      'tampered (a group added after signing)',
      () => tampered(keys.idToken(), { 'cognito:groups': ['lead'] }),
    ],
    ['tampered (another user name)', () => tampered(keys.idToken(), { 'cognito:username': 'ben' })],
    ['signed by another key under the same key id', () => keys.idToken({}, { key: rsaKeyPair().privateKey })],
    [
      'from another user pool',
      () => keys.idToken({ iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_OtherPool' }),
    ],
    ['an access token', () => keys.idToken({ token_use: 'access' })],
    ['in no role group', () => keys.idToken({ 'cognito:groups': ['observers'] })],
    ['not a token at all', () => 'not-a-jwt'],
  ])('finds nobody for a token %s', async (_, token) => {
    const { app } = harness();
    expect(await identityWith(app, token())).toBeNull();
  });

  it('finds nobody without a session cookie', async () => {
    const { app } = harness();
    expect(await (await app.request('/me')).json()).toBeNull();
  });
});

describe('POST /signout', () => {
  const csrf = 'c'.repeat(40);

  it("clears the session and ends the hosted session at Cognito's /logout, back to the sign-in", async () => {
    const { app } = harness();
    const response = await app.request('/signout', {
      method: 'POST',
      headers: {
        cookie: `${SESSION_COOKIE}=${keys.idToken()}; ${CSRF_COOKIE}=${csrf}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `${CSRF_FIELD}=${csrf}`,
    });
    expect(response.status).toBe(303);
    const location = new URL(String(response.headers.get('location')));
    expect(`${location.origin}${location.pathname}`).toBe(`${TEST_COGNITO.domainUrl}/logout`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: TEST_COGNITO.clientId,
      logout_uri: 'https://workbench.example.org/signin',
    });
    expect(cookieNamed(response, SESSION_COOKIE)).toMatch(/Max-Age=0/);
  });

  it('refuses a sign-out without the CSRF token and keeps the session', async () => {
    const { app } = harness();
    const response = await app.request('/signout', {
      method: 'POST',
      headers: {
        cookie: `${SESSION_COOKIE}=${keys.idToken()}; ${CSRF_COOKIE}=${csrf}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `${CSRF_FIELD}=${'d'.repeat(40)}`,
    });
    expect(response.status).toBe(403);
    expect(cookieNamed(response, SESSION_COOKIE)).toBeUndefined();
  });
});

describe('the token endpoint adapter', () => {
  function fakeFetch(status: number, body: unknown) {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    return { calls, fetchFn };
  }

  it('posts the code, redirect URI and PKCE verifier as a public client (no secret) and returns the ID token', async () => {
    const { calls, fetchFn } = fakeFetch(200, {
      id_token: 'the.id.token',
      access_token: 'a',
      expires_in: 3600,
    });
    const exchange = cognitoTokenEndpoint(TEST_COGNITO, fetchFn);
    const token = await exchange({ code: 'abc', redirectUri: TEST_COGNITO.callbackUrl, codeVerifier: 'v1' });
    expect(token).toBe('the.id.token');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(`${TEST_COGNITO.domainUrl}/oauth2/token`);
    expect(calls[0]?.init.method).toBe('POST');
    expect(new Headers(calls[0]?.init.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(new Headers(calls[0]?.init.headers).has('authorization')).toBe(false);
    expect(Object.fromEntries(new URLSearchParams(String(calls[0]?.init.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: TEST_COGNITO.clientId,
      code: 'abc',
      redirect_uri: TEST_COGNITO.callbackUrl,
      code_verifier: 'v1',
    });
  });

  it("throws naming Cognito's error when the code is refused", async () => {
    const { fetchFn } = fakeFetch(400, { error: 'invalid_grant' });
    const exchange = cognitoTokenEndpoint(TEST_COGNITO, fetchFn);
    await expect(
      exchange({ code: 'used', redirectUri: TEST_COGNITO.callbackUrl, codeVerifier: 'v' }),
    ).rejects.toThrow(/400 \(invalid_grant\)/);
  });

  it('throws when the answer has no ID token', async () => {
    const { fetchFn } = fakeFetch(200, { access_token: 'a' });
    const exchange = cognitoTokenEndpoint(TEST_COGNITO, fetchFn);
    await expect(
      exchange({ code: 'c', redirectUri: TEST_COGNITO.callbackUrl, codeVerifier: 'v' }),
    ).rejects.toThrow(TokenExchangeError);
  });
});

describe('the settings', () => {
  it.each([
    ['a callback elsewhere than /signin/callback', { callbackUrl: 'https://workbench.example.org/callback' }],
    ['a plain-http callback', { callbackUrl: 'http://workbench.example.org/signin/callback' }],
    ['a domain with a path', { domainUrl: 'https://x.auth.eu-west-2.amazoncognito.com/login' }],
    ['a plain-http domain', { domainUrl: 'http://x.auth.eu-west-2.amazoncognito.com' }],
  ])('refuse %s', (_, change) => {
    expect(() => checkCognitoSettings({ ...TEST_COGNITO, ...change })).toThrow(ConfigError);
  });
});

describe('the claims mapping', () => {
  it.each([
    [['reviewer'], ['reviewer']],
    [['lead'], ['reviewer', 'lead']],
    [
      ['reviewer', 'lead', 'other'],
      ['reviewer', 'lead'],
    ],
    [['other'], []],
    ['[reviewer lead]', ['reviewer', 'lead']],
    ['[reviewer]', ['reviewer']],
    ['[leader]', []],
    [undefined, []],
  ])('gives the groups %j the roles %j', (groups, roles) => {
    expect(rolesFromGroups(groups)).toEqual(roles);
  });

  it('names nobody without a user name or for a token that is not an ID token', () => {
    expect(identityFromClaims({ token_use: 'id', sub: 'x', 'cognito:groups': ['reviewer'] })).toBeNull();
    expect(identityFromClaims({ token_use: 'access', 'cognito:username': 'ana' })).toBeNull();
    expect(identityFromClaims({ token_use: 'id', 'cognito:username': 'ana' })).toEqual({
      id: 'ana',
      name: 'ana',
      roles: [],
    });
  });
});
