/**
 * Uploads: record files (RIS exports of PsycINFO, Embase or CENTRAL; PubMed XML; ClinicalTrials.gov JSON) go
 * through the same ingest as `living-review import` (de-duplicated, queued, the team alerted once); outcome-data
 * files (the project's CSV, the Metapsy format) through the same import as `extract import`. Both run importFile
 * (shared/uploads/import-file.ts). The page says what was new, what was a duplicate of what, and, for a refused
 * file, why (nothing of it is stored).
 *
 * Small files come through the workbench. Where the workbench has an upload bucket (AWS), larger files go straight
 * to it in a second form, a pre-signed S3 POST made for the kind chosen first (plain HTML, no JavaScript needed);
 * S3 sends the browser back here, the import function imports the file, and the page lists the results of recent
 * uploads from the documents it stores.
 */

import type { Context } from 'hono';
import { InputError } from '#shared/errors.ts';
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { importFile } from '#shared/uploads/import-file.ts';
import { recentUploads, type UploadResult } from '#shared/uploads/import-upload.ts';
import { type ImportKind, isImportKind } from '#shared/uploads/kinds.ts';
import type { UploadForm } from '#shared/uploads/presign.ts';
import { parseUploadKey } from '#shared/uploads/upload-key.ts';
import type { WorkbenchRequest } from '../app.ts';
import type { CookiePolicy } from '../cookies.ts';
import { csrfField, type FormError, page } from '../layout.ts';

const KINDS: readonly { value: ImportKind; label: string }[] = [
  { value: 'ris', label: 'RIS (PsycINFO, Embase, CENTRAL, reference managers)' },
  { value: 'pubmed', label: 'PubMed XML (efetch)' },
  { value: 'ctgov', label: 'ClinicalTrials.gov JSON (API v2)' },
  { value: 'csv', label: 'Outcome data: the project CSV' },
  { value: 'metapsy', label: 'Outcome data: Metapsy format' },
];

const labelOf = (kind: string | undefined) =>
  KINDS.find((candidate) => candidate.value === kind)?.label ?? kind;

/** Uploads through the workbench stay small; larger files go to the upload bucket in AWS. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

type Problem = { field: string; message: string };

const errorMessage = (problem: Problem | undefined, field: string) =>
  problem?.field === field ? `<p class="error-message" id="${field}-error">${h(problem.message)}</p>` : '';

function kindRadios(name: string, idPrefix: string, chosen?: string): string {
  return KINDS.map(
    (kind, i) =>
      `<div><input type="radio" id="${idPrefix}-${kind.value}" name="${name}" value="${kind.value}"${(chosen ? kind.value === chosen : i === 0) ? ' checked' : ''}> <label for="${idPrefix}-${kind.value}">${h(kind.label)}</label></div>`,
  ).join('');
}

function smallUploadForm(request: WorkbenchRequest, problem: Problem | undefined): string {
  const { c, cookies } = request;
  return `<form method="post" action="/imports" enctype="multipart/form-data" novalidate>${csrfField(c, cookies)}
<fieldset id="kind"${problem?.field === 'kind' ? ' class="field-error"' : ''}><legend>What the file is</legend>${errorMessage(problem, 'kind')}
${kindRadios('kind', 'kind')}
</fieldset>
<div class="field${problem?.field === 'file' ? ' field-error' : ''}"><label for="file">File (up to 5 MB)</label>${errorMessage(problem, 'file')}<input type="file" id="file" name="file"${problem?.field === 'file' ? ' aria-describedby="file-error"' : ''}></div>
<button type="submit">Import</button></form>`;
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** The S3 form: the signed fields first, the file last (S3 ignores what follows it), no CSRF field (S3 refuses any field its policy does not name). */
function largeUploadForm(kind: ImportKind, form: UploadForm): string {
  const hidden = Object.entries(form.fields)
    .map(([name, value]) => `<input type="hidden" name="${h(name)}" value="${h(value)}">`)
    .join('\n');
  return `<form method="post" action="${h(form.url)}" enctype="multipart/form-data">
${hidden}
<input type="hidden" id="large-file-name" name="${h(form.fileNameField)}" value="">
<p>What the file is: <strong>${h(labelOf(kind) ?? kind)}</strong> (<a href="/imports#large">choose another kind</a>)</p>
<div class="field"><label for="large-file">File (up to ${megabytes(form.maxBytes)})</label><input type="file" id="large-file" name="file" data-name-field="large-file-name" required></div>
<button type="submit">Upload</button>
<p class="note">This form can be used until ${h(form.expiresAt.slice(11, 16))} UTC; after that, open the imports page again.</p>
</form>`;
}

function largeUploadKindForm(problem: Problem | undefined): string {
  return `<form method="get" action="/imports#large" novalidate>
<fieldset id="large-kind"${problem?.field === 'large-kind' ? ' class="field-error"' : ''}><legend>What the file is</legend>${errorMessage(problem, 'large-kind')}
${kindRadios('large', 'large-kind')}
</fieldset>
<button type="submit">Continue</button></form>`;
}

function countsOf(result: UploadResult): string {
  if (result.outcome === 'refused') return `Refused, nothing stored: ${result.message ?? ''}`;
  const { records, data, analysis } = result;
  if (records) {
    return `${records.read} records read: ${records.new} new, ${records.duplicates} duplicates, ${records.alreadyStored} already stored, ${records.updated} updated.`;
  }
  if (data) {
    const version = analysis
      ? analysis.created
        ? ` Analysis version ${analysis.version} made.`
        : ` The analysis is unchanged (version ${analysis.version}).`
      : '';
    return `${data.studies} studies, ${data.usableRows} arm rows, ${data.precalculatedEffects} precalculated effects; ${data.setAside} results set aside, ${data.candidatesQueued} studies queued for screening.${version}`;
  }
  return 'Imported.';
}

function uploadResults(results: readonly UploadResult[]): string {
  if (results.length === 0) return '<p>No large uploads yet.</p>';
  const rows = results
    .map(
      (result) =>
        `<tr><td>${h(result.uploadedAt.replace('T', ' ').slice(0, 16))}</td><td>${h(result.uploadedBy ?? 'unknown')}</td><td>${h(result.fileName)}</td><td>${h(labelOf(result.kind) ?? 'unknown')}</td><td>${h(countsOf(result))}</td></tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table><caption>The ${results.length} most recent large uploads, newest first</caption>
<thead><tr><th scope="col">Uploaded (UTC)</th><th scope="col">By</th><th scope="col">File</th><th scope="col">What</th><th scope="col">Result</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** After S3 accepted an upload it sends the browser back with the object's key: say it arrived. */
function receivedNotice(request: WorkbenchRequest, results: readonly UploadResult[]): string {
  const key = request.c.req.query('key');
  if (!key) return '';
  try {
    parseUploadKey(key);
  } catch {
    return '';
  }
  const done = results.find((result) => result.key === key);
  return `<div class="notice" role="status"><p>${
    done
      ? `Your upload ${h(done.fileName)} was imported: see its result under "Large uploads".`
      : 'Your file was uploaded. It is being imported: reload this page in a minute to see its result under "Large uploads".'
  }</p></div>`;
}

async function largeUploads(
  request: WorkbenchRequest,
  problem: Problem | undefined,
): Promise<{ html: string; formActions: string[]; problem?: Problem }> {
  const { c, uploads, identity, store } = request;
  const results = await recentUploads(store);
  if (!uploads) {
    // Locally there is no bucket; results are shown only if the store holds some (a copy of a deployed table).
    return {
      html: results.length > 0 ? `<h2 id="uploads">Large uploads</h2>${uploadResults(results)}` : '',
      formActions: [],
    };
  }
  const chosen = c.req.query('large');
  let step = '';
  let formActions: string[] = [];
  let kindProblem = problem?.field === 'large-kind' ? problem : undefined;
  if (chosen !== undefined && !isImportKind(chosen)) {
    kindProblem = { field: 'large-kind', message: 'Choose what the file is' };
  }
  if (chosen !== undefined && isImportKind(chosen)) {
    const form = await uploads.presignUpload({
      kind: chosen,
      uploadedBy: identity.id,
      redirectTo: new URL(UPLOADED_PATH, c.req.url).toString(),
    });
    formActions = [new URL(form.url).origin];
    step = largeUploadForm(chosen, form);
  } else {
    step = largeUploadKindForm(kindProblem);
  }
  return {
    html: `${receivedNotice(request, results)}
<h2 id="large">Large files (up to 200 MB)</h2>
<p>A file larger than 5 MB goes straight to the review's upload bucket and is imported there, by the same rules;
its result appears under "Large uploads" below, usually within a minute. Uploaded files are deleted after 7 days.</p>
${step}
<h2 id="uploads">Large uploads</h2>${uploadResults(results)}`,
    formActions,
    ...(kindProblem ? { problem: kindProblem } : {}),
  };
}

/**
 * Where S3 sends the browser after an upload (with ?bucket, key and etag). That navigation comes from S3, so
 * Firefox and Safari (which look at the whole redirect chain) do not send the SameSite=Strict session cookie with
 * it: this page needs no session, shows nothing of the review, and sends the browser on to the imports page by a
 * navigation of its own, which carries the cookie. It is one of the workbench's public routes in AWS.
 */
export const UPLOADED_PATH = '/imports/uploaded';

export function uploadedLanding(c: Context, cookies: CookiePolicy) {
  const key = c.req.query('key');
  let next = '/imports';
  try {
    if (key) {
      parseUploadKey(key);
      next = `/imports?key=${encodeURIComponent(key)}#uploads`;
    }
  } catch {
    // Not an upload's key: the imports page without a notice.
  }
  return page(c, cookies, {
    title: 'Upload received',
    identity: null,
    refresh: next,
    body: `<h1>Upload received</h1><p><a href="${h(next)}">Continue to the imports page</a> to see the upload's result.</p>`,
  });
}

export async function importPage(request: WorkbenchRequest, problem?: Problem, result = '') {
  const { c, identity, cookies } = request;
  const large = await largeUploads(request, problem);
  const shown = problem ?? large.problem;
  const errors: FormError[] = shown ? [{ href: `#${shown.field}`, text: shown.message }] : [];
  return page(c, cookies, {
    title: 'Imports',
    identity,
    errors,
    formActions: large.formActions,
    body: `<h1>Imports</h1>${result}
<h2 id="small">Files up to 5 MB</h2>
${smallUploadForm(request, problem)}
${large.html}`,
  });
}

const list = (title: string, items: string[]) =>
  items.length > 0
    ? `<h3>${h(title)} (${items.length})</h3><ul>${items.map((item) => `<li>${h(item)}</li>`).join('')}</ul>`
    : '';

export async function runImport(request: WorkbenchRequest) {
  const { c, identity, review, store, clock, notifier } = request;
  const body = await c.req.parseBody();
  const kind = KINDS.find((candidate) => candidate.value === body.kind)?.value;
  if (!kind) return importPage(request, { field: 'kind', message: 'Choose what the file is' });
  const file = body.file;
  if (!(file instanceof File) || file.size === 0)
    return importPage(request, { field: 'file', message: 'Choose a file to import' });
  if (file.size > MAX_UPLOAD_BYTES)
    return importPage(request, {
      field: 'file',
      message: `The file is larger than 5 MB${request.uploads ? ': upload it as a large file below' : ''}`,
    });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const name = file.name || 'upload';
  try {
    const done = await importFile(
      review,
      { store, clock, notifier },
      {
        kind,
        bytes,
        name,
        label: `workbench import ${kind} by ${identity.id}`,
        reason: `workbench import of ${name}`,
      },
    );
    if (done.type === 'records') {
      const { read, ingest: result } = done;
      const summary = `<section aria-labelledby="result"><h2 id="result">Imported ${h(name)}</h2><p>${read} records read: ${result.new.length} new, ${result.duplicates.length} duplicates, ${result.unchanged.length} already stored, ${result.updated.length} updated.</p>
${list(
  'New, queued for screening',
  result.new.map((entry) => `${entry.id}: ${entry.title}`),
)}
${list(
  'Duplicates',
  result.duplicates.map(
    (entry) =>
      `${entry.id} is ${entry.canonicalId} (same ${entry.matchedKey.kind} ${entry.matchedKey.value})`,
  ),
)}
${list(
  'Linked to registrations',
  result.linked.map((entry) => JSON.stringify(entry)),
)}</section>`;
      return importPage(request, undefined, summary);
    }
    const { summary, analysis } = done;
    await request.publish();
    return importPage(
      request,
      undefined,
      `<section aria-labelledby="result"><h2 id="result">Imported ${h(name)}</h2><p>${summary.studies} studies, ${summary.usableRows} arm rows, ${summary.precalculatedEffects} precalculated effects; ${summary.notUsable.length} results set aside.</p>
${list('Queued for screening (data, never assessed)', summary.candidatesQueued)}
${list('Not included, so not pooled', summary.notIncluded)}
${list(
  'Set aside',
  summary.notUsable.map((row) => `${row.study}, ${row.instrument}: ${row.reason}`),
)}
${list('Warnings', summary.warnings)}
<p>${analysis.created ? `Analysis version ${analysis.version} made; the page was republished.` : 'The analysis is unchanged.'}</p></section>`,
    );
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return importPage(request, { field: 'file', message: `Refused, nothing stored: ${error.message}` });
  }
}
