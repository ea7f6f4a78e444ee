import { beforeAll, describe, expect, it } from 'vitest';
import { cognitoIdTokenVerifier, SESSION_COOKIE } from '#shared/web/cognito-tokens.ts';
import { rsaKeyPair, TEST_COGNITO, type TestKeys, tampered, testKeys } from '#test/support/cognito.ts';
import {
  createWorkbenchAuthorizer,
  sessionToken,
  type WorkbenchAuthorizerEvent,
} from '../../../functions/workbench-authorizer/handler.ts';

let keys: TestKeys;
let authorize: ReturnType<typeof createWorkbenchAuthorizer>;

beforeAll(() => {
  keys = testKeys();
  authorize = createWorkbenchAuthorizer(cognitoIdTokenVerifier(TEST_COGNITO, { jwks: keys.jwks }));
});

/** A request as API Gateway hands it to the authorizer (payload 2.0: cookies listed apart). */
const withCookies = (...cookies: string[]): WorkbenchAuthorizerEvent => ({ cookies, headers: {} });

describe('the workbench authorizer', () => {
  it("lets a reviewer's valid session through, naming the user for the access log", async () => {
    expect(await authorize(withCookies('lr_csrf=abc', `${SESSION_COOKIE}=${keys.idToken()}`))).toEqual({
      isAuthorized: true,
      context: { username: 'ana' },
    });
  });

  it('lets a lead through', async () => {
    const token = keys.idToken({ 'cognito:username': 'lea', 'cognito:groups': ['lead'] });
    expect(await authorize(withCookies(`${SESSION_COOKIE}=${token}`))).toMatchObject({ isAuthorized: true });
  });

  it.each([
    ['no cookies at all', () => withCookies()],
    ['other cookies only', () => withCookies('lr_csrf=abc')],
    ['an empty session cookie', () => withCookies(`${SESSION_COOKIE}=`)],
    ['a token for another client', () => withCookies(`${SESSION_COOKIE}=${keys.idToken({ aud: 'other' })}`)],
    [
      'an expired token',
      () => withCookies(`${SESSION_COOKIE}=${keys.idToken({ exp: Math.floor(Date.now() / 1000) - 1 })}`),
    ],
    [
      'a tampered token',
      () => withCookies(`${SESSION_COOKIE}=${tampered(keys.idToken(), { 'cognito:username': 'lea' })}`),
    ],
    [
      'a token signed by another key',
      () => withCookies(`${SESSION_COOKIE}=${keys.idToken({}, { key: rsaKeyPair().privateKey })}`),
    ],
    ['an access token', () => withCookies(`${SESSION_COOKIE}=${keys.idToken({ token_use: 'access' })}`)],
    [
      'a user in no role group',
      () => withCookies(`${SESSION_COOKIE}=${keys.idToken({ 'cognito:groups': ['observers'] })}`),
    ],
    ['a token under another cookie name', () => withCookies(`lr_other=${keys.idToken()}`)],
  ])('refuses %s', async (_, event) => {
    expect(await authorize(event())).toEqual({ isAuthorized: false });
  });

  it('reads the session from a Cookie header when the event has no cookie list', async () => {
    const token = keys.idToken();
    const event = { headers: { cookie: `lr_csrf=abc; ${SESSION_COOKIE}=${token}; lr_other=x` } };
    expect(sessionToken(event)).toBe(token);
    expect(await authorize(event)).toMatchObject({ isAuthorized: true });
  });
});
