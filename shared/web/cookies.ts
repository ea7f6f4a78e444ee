/**
 * The workbench's cookies: HttpOnly, SameSite=Strict, Secure when served over HTTPS (AWS). CSRF is a
 * double-submit token: a random value in its own cookie that every form repeats in a hidden field; a site that
 * cannot read the cookie cannot forge the field.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const CSRF_COOKIE = 'lr_csrf';
export const CSRF_FIELD = '_csrf';

export interface CookiePolicy {
  secure: boolean;
}

export function setStrictCookie(
  c: Context,
  name: string,
  value: string,
  policy: CookiePolicy,
  maxAge?: number,
) {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: policy.secure,
    path: '/',
    ...(maxAge === undefined ? {} : { maxAge }),
  });
}

/** Tokens issued while answering a request, so every form of one page carries the one token its cookie holds. */
const issued = new WeakMap<Context, string>();

/** The request's CSRF token, issuing one when it has none. */
export function csrfToken(c: Context, policy: CookiePolicy): string {
  const existing = getCookie(c, CSRF_COOKIE) ?? issued.get(c);
  if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  setStrictCookie(c, CSRF_COOKIE, token, policy);
  issued.set(c, token);
  return token;
}

/** True when the form repeats the cookie's token. */
export function csrfValid(c: Context, submitted: unknown): boolean {
  const cookie = getCookie(c, CSRF_COOKIE);
  if (!cookie || typeof submitted !== 'string') return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
