/**
 * The review team's workbench: server-rendered pages over the same use cases as the CLI (screening, studies,
 * extraction, imports, status), with the review's rules enforced by the same code. Hono, so the one app runs on
 * Node locally (`living-review workbench`) and on Lambda behind the HTTP API (functions/workbench/).
 */
import { type Context, Hono } from 'hono';
import type { Notifier } from '#shared/alerts/notifier.ts';
import type { PublishSummary } from '#shared/cycle.ts';
import { httpStatusFor, messageOf } from '#shared/errors.ts';
import { escapeHtml } from '#shared/publishing/escape.ts';
import type { ReviewConfig } from '#shared/review/config.ts';
import type { Clock, Store } from '#shared/store/ports.ts';
import type { UploadPresigner } from '#shared/uploads/presign.ts';
import { type CookiePolicy, CSRF_FIELD, csrfValid } from './cookies.ts';
import type { Authenticator, Identity } from './identity.ts';
import { page, SCRIPT, STYLESHEET } from './layout.ts';
import { extractionPage, saveExtraction } from './pages/extraction.ts';
import { importPage, runImport, UPLOADED_PATH, uploadedLanding } from './pages/imports.ts';
import { queuePage } from './pages/queue.ts';
import { recordPage, saveDecision } from './pages/record.ts';
import { statusPage } from './pages/status.ts';
import { changeStudy, studiesPage, studyPage } from './pages/studies.ts';

export interface WorkbenchDeps {
  review: ReviewConfig;
  store: Store;
  clock: Clock;
  notifier: Notifier;
  auth: Authenticator;
  cookies: CookiePolicy;
  /** Publishes the page after a change of what is included or extracted (local folder or S3). */
  publish: () => Promise<PublishSummary>;
  /**
   * Signs upload forms for large files (an S3 pre-signed POST to the upload bucket: shared/uploads/presign.ts),
   * which the import function imports. Absent locally: the imports page then offers only small uploads.
   */
  uploads?: UploadPresigner;
}

/** What every page handler gets: the dependencies and the signed-in user. */
export interface WorkbenchRequest extends WorkbenchDeps {
  c: Context;
  identity: Identity;
}

export function createWorkbench(deps: WorkbenchDeps): Hono {
  const app = new Hono();
  app.get('/assets/workbench.css', (c) =>
    c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=300' }),
  );
  app.get('/assets/workbench.js', (c) =>
    c.body(SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=300' }),
  );
  deps.auth.mount(app);

  /** Runs a page for a signed-in user; a form post must carry the CSRF token. */
  const signedIn =
    (handler: (request: WorkbenchRequest) => Promise<Response>, options: { form?: boolean } = {}) =>
    async (c: Context) => {
      const identity = await deps.auth.identify(c);
      if (!identity) return c.redirect(deps.auth.signInPath, 303);
      if (options.form) {
        const body = await c.req.parseBody();
        if (!csrfValid(c, body[CSRF_FIELD])) {
          return page(c, deps.cookies, {
            title: 'Form expired',
            identity,
            status: 403,
            body: '<h1>The form has expired</h1><p>Nothing was saved. Go back, reload the page and try again.</p>',
          });
        }
      }
      try {
        return await handler({ ...deps, c, identity });
      } catch (error) {
        const status = httpStatusFor(error);
        if (status === 500) console.error('workbench: unexpected error', error);
        return page(c, deps.cookies, {
          title: 'Something went wrong',
          identity,
          status: status === 404 ? 404 : status === 409 ? 409 : 400,
          body: `<h1>${status === 404 ? 'Not found' : 'That did not work'}</h1><p>${
            status === 500 ? 'An unexpected error; nothing was saved.' : escapeText(messageOf(error))
          }</p>`,
        });
      }
    };

  app.get('/', signedIn(statusPage));
  app.get('/queue', signedIn(queuePage));
  app.get(
    '/records/:id',
    signedIn((request) => recordPage(request)),
  );
  app.post('/records/:id/decisions', signedIn(saveDecision, { form: true }));
  app.get('/studies', signedIn(studiesPage));
  app.get(
    '/studies/:id',
    signedIn((request) => studyPage(request)),
  );
  app.post(
    '/studies/:id/merge',
    signedIn((request) => changeStudy(request, 'merge'), { form: true }),
  );
  app.post(
    '/studies/:id/move',
    signedIn((request) => changeStudy(request, 'move'), { form: true }),
  );
  app.get(
    '/studies/:id/extraction',
    signedIn((request) => extractionPage(request)),
  );
  app.post('/studies/:id/extraction', signedIn(saveExtraction, { form: true }));
  app.get(
    '/imports',
    signedIn(async (request) => importPage(request)),
  );
  app.post('/imports', signedIn(runImport, { form: true }));
  // S3's redirect after a large upload lands here without the session cookie; it goes on to /imports by itself.
  app.get(UPLOADED_PATH, (c) => uploadedLanding(c, deps.cookies));
  app.notFound((c) => c.text('Not found', 404));
  return app;
}

const escapeText = (text: string) => escapeHtml(text).replaceAll('\n', '<br>');
