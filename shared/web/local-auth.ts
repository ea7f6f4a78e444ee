/**
 * Sign-in on one machine (`living-review workbench`): a reviewer picks their name and role, no password; the
 * choice is kept in a cookie signed with a key that lives only in this process, so it cannot be edited by hand.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { escapeHtml } from '#shared/publishing/escape.ts';
import { REVIEWER_NAME } from '#shared/screening/screen.ts';
import { type CookiePolicy, CSRF_FIELD, csrfToken, csrfValid, setStrictCookie } from './cookies.ts';
import { type Authenticator, type Identity, ROLES, type Role } from './identity.ts';
import { page } from './layout.ts';

const SESSION = 'lr_local_user';

export function localAuthenticator(policy: CookiePolicy = { secure: false }): Authenticator {
  const key = randomBytes(32);
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  const seal = (identity: Identity) => {
    const payload = Buffer.from(JSON.stringify(identity)).toString('base64url');
    return `${payload}.${sign(payload)}`;
  };
  const open = (value: string | undefined): Identity | null => {
    const [payload, signature] = (value ?? '').split('.');
    if (!payload || !signature) return null;
    const expected = Buffer.from(sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Identity;
  };

  const form = (c: Context, problem?: { field: string; message: string }, name = '') =>
    page(c, policy, {
      title: 'Sign in',
      identity: null,
      errors: problem ? [{ href: `#${problem.field}`, text: problem.message }] : [],
      body: `<h1>Sign in</h1>
<p>This workbench runs on this machine only: pick your name as decisions will record it, and your role.</p>
<form method="post" action="/signin" novalidate>
<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(c, policy)}">
<div class="field${problem?.field === 'name' ? ' field-error' : ''}"><label for="name">Your name</label>
${problem?.field === 'name' ? `<p class="error-message" id="name-error">${problem.message}</p>` : ''}
<input id="name" name="name" autocomplete="name" value="${escapeHtml(name)}"${problem?.field === 'name' ? ' aria-describedby="name-error"' : ''}></div>
<fieldset><legend>Role</legend>
<div><input type="radio" id="role-reviewer" name="role" value="reviewer" checked> <label for="role-reviewer">Reviewer</label></div>
<div><input type="radio" id="role-lead" name="role" value="lead"> <label for="role-lead">Lead (also settles conflicts)</label></div>
</fieldset>
<button type="submit">Sign in</button>
</form>`,
    });

  return {
    signInPath: '/signin',
    async identify(c) {
      return open(getCookie(c, SESSION));
    },
    mount(app: Hono) {
      app.get('/signin', (c) => form(c));
      app.post('/signin', async (c) => {
        const body = await c.req.parseBody();
        if (!csrfValid(c, body[CSRF_FIELD]))
          return c.text('The form has expired: reload the page and try again.', 403);
        const name = String(body.name ?? '').trim();
        if (!REVIEWER_NAME.test(name)) {
          return form(
            c,
            { field: 'name', message: "Enter your name: letters, digits, spaces or . _ @ ' -" },
            name,
          );
        }
        const role = ROLES.includes(body.role as Role) ? (body.role as Role) : 'reviewer';
        const roles: Role[] = role === 'lead' ? ['reviewer', 'lead'] : ['reviewer'];
        setStrictCookie(c, SESSION, seal({ id: name, name, roles }), policy);
        return c.redirect('/', 303);
      });
      app.post('/signout', async (c) => {
        const body = await c.req.parseBody();
        if (!csrfValid(c, body[CSRF_FIELD]))
          return c.text('The form has expired: reload the page and try again.', 403);
        deleteCookie(c, SESSION, { path: '/' });
        return c.redirect('/signin', 303);
      });
    },
  };
}
