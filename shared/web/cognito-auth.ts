/**
 * Sign-in in AWS: Amazon Cognito's hosted sign-in with the authorization-code flow and PKCE, for a public app
 * client (no secret to keep).
 *   GET  /signin           a random `state` and PKCE verifier go in a short-lived cookie (HttpOnly, SameSite=Lax so
 *                          it comes back on Cognito's redirect); the browser goes to the pool's /oauth2/authorize.
 *   GET  /signin/callback  the `state` must match the cookie's; the code is traded at /oauth2/token; the ID token is
 *                          verified and kept as the session, in an HttpOnly, Secure, SameSite=Strict cookie that
 *                          expires with the token. A user in no role group is refused (403).
 *   POST /signout          (CSRF-checked) clears the session and ends the hosted session at Cognito's /logout.
 * `identify` verifies the session's token on every request (aws-jwt-verify: signature, issuer, expiry, token use,
 * audience); nothing about the user is trusted that the token does not say.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { identityFromClaims } from './cognito-claims.ts';
import {
  type CognitoSettings,
  checkCognitoSettings,
  type IdTokenVerifier,
  SESSION_COOKIE,
  type TokenEndpoint,
} from './cognito-tokens.ts';
import { type CookiePolicy, CSRF_FIELD, csrfValid, setStrictCookie } from './cookies.ts';
import type { Authenticator, Identity } from './identity.ts';
import { page } from './layout.ts';

export { SESSION_COOKIE };

/** A sign-in under way: `<state>.<PKCE verifier>`, for the callback only. */
export const SIGNIN_COOKIE = 'lr_signin';
const SIGNIN_PATH = '/signin';
const CALLBACK_PATH = '/signin/callback';
/** Long enough to type a password and a TOTP code at the hosted sign-in. */
const SIGNIN_MAX_AGE_SECONDS = 600;

export interface CognitoAuthOptions {
  settings: CognitoSettings;
  verifyIdToken: IdTokenVerifier;
  exchangeCode: TokenEndpoint;
  cookies: CookiePolicy;
  /** Seconds since the epoch, for the session cookie's lifetime (tests step it). */
  nowSeconds?: () => number;
}

const random = () => randomBytes(32).toString('base64url');
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function cognitoAuthenticator(options: CognitoAuthOptions): Authenticator {
  const settings = checkCognitoSettings(options.settings);
  const policy = options.cookies;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  /** Where Cognito's /logout sends the browser: the sign-in, which starts over (the client lists it). */
  const signedOutUrl = new URL(SIGNIN_PATH, settings.callbackUrl).toString();

  /** The claims of a token, or null for anything that does not verify. */
  const verified = async (token: string | undefined) => {
    if (!token) return null;
    try {
      return await options.verifyIdToken(token);
    } catch {
      return null;
    }
  };

  const identify = async (c: Context): Promise<Identity | null> => {
    const claims = await verified(getCookie(c, SESSION_COOKIE));
    const identity = claims ? identityFromClaims(claims) : null;
    return identity && identity.roles.length > 0 ? identity : null;
  };

  const problem = (c: Context, status: 400 | 403, title: string, text: string) =>
    page(c, policy, {
      title,
      identity: null,
      status,
      body: `<h1>${h(title)}</h1><p>${text}</p>`,
    });
  const signInAgain = '<a href="/signin">Sign in again</a>.';

  return {
    signInPath: SIGNIN_PATH,
    identify,
    mount(app: Hono) {
      app.get(SIGNIN_PATH, async (c) => {
        if (await identify(c)) return c.redirect('/', 303);
        const state = random();
        const verifier = random();
        setCookie(c, SIGNIN_COOKIE, `${state}.${verifier}`, {
          httpOnly: true,
          secure: policy.secure,
          // Strict would not come back with Cognito's (cross-site) redirect to the callback.
          sameSite: 'Lax',
          path: SIGNIN_PATH,
          maxAge: SIGNIN_MAX_AGE_SECONDS,
        });
        const authorize = new URL(`${settings.domainUrl}/oauth2/authorize`);
        authorize.search = new URLSearchParams({
          response_type: 'code',
          client_id: settings.clientId,
          redirect_uri: settings.callbackUrl,
          scope: 'openid email',
          state,
          code_challenge: sha256(verifier),
          code_challenge_method: 'S256',
        }).toString();
        c.header('Cache-Control', 'no-store');
        return c.redirect(authorize.toString(), 303);
      });

      app.get(CALLBACK_PATH, async (c) => {
        const started = getCookie(c, SIGNIN_COOKIE) ?? '';
        // One use only, whatever happens next.
        deleteCookie(c, SIGNIN_COOKIE, { path: SIGNIN_PATH, secure: policy.secure, httpOnly: true });
        const { code, state, error } = c.req.query();
        if (error) {
          return problem(
            c,
            400,
            'Sign-in did not finish',
            `The sign-in page answered: ${h(error)}. Nothing was changed. ${signInAgain}`,
          );
        }
        const [expectedState, verifier] = started.split('.');
        if (!code || !state || !expectedState || !verifier || !sameText(state, expectedState)) {
          return problem(
            c,
            400,
            'Sign-in expired',
            `This sign-in was not started in this browser in the last ${SIGNIN_MAX_AGE_SECONDS / 60} minutes, so it was not accepted. ${signInAgain}`,
          );
        }
        let claims: Record<string, unknown> | null = null;
        let token = '';
        try {
          token = await options.exchangeCode({
            code,
            redirectUri: settings.callbackUrl,
            codeVerifier: verifier,
          });
          claims = await verified(token);
        } catch (cause) {
          console.error('workbench sign-in: the code exchange failed', cause);
        }
        const identity = claims ? identityFromClaims(claims) : null;
        const lifetime = Math.floor(Number(claims?.exp) - nowSeconds());
        if (!claims || !identity || !(lifetime > 0)) {
          return problem(
            c,
            400,
            'Sign-in did not finish',
            `Cognito's answer could not be verified. ${signInAgain}`,
          );
        }
        if (identity.roles.length === 0) {
          return problem(
            c,
            403,
            'Not a member of the review team yet',
            `You are signed in as ${h(identity.name)}, but your account is in neither the reviewer nor the lead group, so the workbench is closed to you. Ask the review's lead to add you to one, then <a href="/signin">sign in again</a>.`,
          );
        }
        setStrictCookie(c, SESSION_COOKIE, token, policy, lifetime);
        // A page rather than a redirect: see PageContent.refresh.
        return page(c, policy, {
          title: 'Signed in',
          identity: null,
          refresh: '/',
          body: `<h1>Signed in</h1><p>Welcome, ${h(identity.name)}. <a href="/">Continue to the workbench</a>.</p>`,
        });
      });

      app.post('/signout', async (c) => {
        const body = await c.req.parseBody();
        if (!csrfValid(c, body[CSRF_FIELD]))
          return c.text('The form has expired: reload the page and try again.', 403);
        deleteCookie(c, SESSION_COOKIE, { path: '/', secure: policy.secure, httpOnly: true });
        const logout = new URL(`${settings.domainUrl}/logout`);
        logout.search = new URLSearchParams({
          client_id: settings.clientId,
          logout_uri: signedOutUrl,
        }).toString();
        return c.redirect(logout.toString(), 303);
      });
    },
  };
}
