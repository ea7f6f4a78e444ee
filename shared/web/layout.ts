/**
 * Every workbench page: one layout, accessible patterns from the GOV.UK Design System (an error summary at the
 * top linking to each field, the message beside the field), no inline script or style, a strict CSP.
 */
import type { Context } from 'hono';
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { type CookiePolicy, CSRF_FIELD, csrfToken } from './cookies.ts';
import type { Identity } from './identity.ts';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The policy of a page whose forms also post elsewhere (the imports page's upload form posts to S3). */
export function contentSecurityPolicy(formActions: readonly string[] = []): string {
  if (formActions.length === 0) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace("form-action 'self'", `form-action 'self' ${formActions.join(' ')}`);
}

export interface FormError {
  /** `#field-id` of the field the message is about. */
  href: string;
  text: string;
}

export interface PageContent {
  title: string;
  identity: Identity | null;
  body: string;
  errors?: FormError[];
  status?: 200 | 400 | 403 | 404 | 409;
  /** Origins other than the workbench that a form on this page posts to (added to the CSP's form-action). */
  formActions?: readonly string[];
  /**
   * A same-origin path the browser goes on to at once (meta refresh). After Cognito's sign-in this replaces a
   * redirect: a navigation that began on the sign-in domain is cross-site even after our own redirect, so the
   * SameSite=Strict session cookie would not be sent; one started by this page is same-site.
   */
  refresh?: string;
}

function errorSummary(errors: readonly FormError[]): string {
  if (errors.length === 0) return '';
  return `<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">There is a problem</h2>
<ul>${errors.map((error) => `<li><a href="${h(error.href)}">${h(error.text)}</a></li>`).join('')}</ul></div>`;
}

export function page(c: Context, policy: CookiePolicy, content: PageContent) {
  const csrf = csrfToken(c, policy);
  const nav = content.identity
    ? `<nav aria-label="Workbench"><ul>
<li><a href="/">Status</a></li><li><a href="/queue">Screening queue</a></li><li><a href="/studies">Studies</a></li><li><a href="/imports">Imports</a></li>
</ul><form method="post" action="/signout" class="signout"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><span>Signed in as ${h(content.identity.name)} (${h(content.identity.roles.join(', '))})</span> <button type="submit">Sign out</button></form></nav>`
    : '';
  c.header('Content-Security-Policy', contentSecurityPolicy(content.formActions));
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  const errors = content.errors ?? [];
  return c.html(
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${errors.length > 0 ? 'Error: ' : ''}${h(content.title)} – living-review workbench</title>${content.refresh ? `<meta http-equiv="refresh" content="0; url=${h(content.refresh)}">` : ''}
<link rel="stylesheet" href="/assets/workbench.css"><script src="/assets/workbench.js" defer></script></head>
<body><a class="skip" href="#main">Skip to main content</a><header><p class="brand">living-review workbench</p>${nav}</header>
<main id="main">${errorSummary(errors)}${content.body}</main></body></html>`,
    content.status ?? (errors.length > 0 ? 400 : 200),
  );
}

/** A hidden CSRF field for a form on this request's page. */
export const csrfField = (c: Context, policy: CookiePolicy) =>
  `<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(c, policy)}">`;

export const STYLESHEET = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#0b0c0c}
header{background:#0b0c0c;color:#fff;padding:.5rem 1rem}header a{color:#fff}
.brand{font-weight:700;margin:0}nav ul{list-style:none;padding:0;margin:.25rem 0;display:flex;gap:1rem;flex-wrap:wrap}
.signout{display:inline}main{padding:1rem;max-width:60rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fd0;color:#0b0c0c;padding:.25rem}
a{color:#1d70b8}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #fd0;outline-offset:0}
.error-summary{border:5px solid #d4351c;padding:1rem;margin-bottom:1rem}.error-summary a{color:#d4351c;font-weight:700}
.field{margin-bottom:1rem}.field-error{border-left:5px solid #d4351c;padding-left:.75rem}
.error-message{color:#d4351c;font-weight:700;margin:.25rem 0}
label{display:block;font-weight:700}fieldset{margin-bottom:1rem}
button{background:#00703c;color:#fff;border:0;padding:.5rem 1rem;font-size:1rem;cursor:pointer}
button.secondary{background:#f3f2f1;color:#0b0c0c}button.warning{background:#d4351c}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #b1b4b6;padding:.4rem;text-align:left;vertical-align:top}
mark{background:#fff2a8}.note{color:#505a5f}.decisions{display:flex;gap:.5rem;flex-wrap:wrap}
kbd{border:1px solid #b1b4b6;padding:0 .25rem}.scroll{overflow-x:auto}
.notice{border-left:5px solid #1d70b8;padding-left:.75rem;margin-bottom:1rem}
@media (max-width:40rem){h1{font-size:1.5rem}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{display:block;border-bottom:1px solid #b1b4b6;padding:.4rem 0}
table.stack td,table.stack th{display:block;border:0;padding:.1rem 0}
table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:700}}
`;

/**
 * One-key decisions on a record page: i, e and m press the include, exclude and maybe buttons (their data-key);
 * not while typing in a field. On the large-upload form, the chosen file's name (percent-encoded) goes into the
 * field its data-name-field names, which the upload carries as metadata. Every page works the same without it
 * (an upload is then named by its key).
 */
export const SCRIPT = `document.addEventListener('keydown',function(event){
if(event.ctrlKey||event.metaKey||event.altKey)return;
var t=event.target;if(t&&(t.tagName==='INPUT'||t.tagName==='TEXTAREA'||t.tagName==='SELECT'))return;
var b=document.querySelector('button[data-key="'+event.key+'"]');if(b){event.preventDefault();b.click();}
});
var s=document.querySelector('.error-summary');if(s)s.focus();
var f=document.querySelector('input[type=file][data-name-field]');
if(f)f.addEventListener('change',function(){var n=document.getElementById(f.getAttribute('data-name-field'));
if(n)n.value=f.files&&f.files[0]?encodeURIComponent(f.files[0].name.slice(0,200)):'';});`;
