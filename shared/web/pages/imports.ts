/**
 * Uploads: record files (RIS exports of PsycINFO, Embase or CENTRAL; PubMed XML; ClinicalTrials.gov JSON) go
 * through the same ingest as `living-review import` (de-duplicated, queued, the team alerted once); outcome-data
 * files (the project's CSV, the Metapsy format) through the same import as `extract import`. The page says what
 * was new, what was a duplicate of what, and, for a refused file, why (nothing of it is stored).
 */
import { reanalyse } from '#shared/analysis/reanalyse.ts';
import { InputError } from '#shared/errors.ts';
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { completeAbandonedBatches, ingest } from '#shared/records/ingest.ts';
import { RECORD_FILE_FORMATS, readRecordFile } from '#shared/records/read-file.ts';
import { importStudyData } from '#shared/studies/import-data.ts';
import type { WorkbenchRequest } from '../app.ts';
import { csrfField, page } from '../layout.ts';

const KINDS = [
  { value: 'ris', label: 'RIS (PsycINFO, Embase, CENTRAL, reference managers)' },
  { value: 'pubmed', label: 'PubMed XML (efetch)' },
  { value: 'ctgov', label: 'ClinicalTrials.gov JSON (API v2)' },
  { value: 'csv', label: 'Outcome data: the project CSV' },
  { value: 'metapsy', label: 'Outcome data: Metapsy format' },
] as const;

/** Uploads through the workbench stay small; larger files go to the upload bucket in AWS. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export function importPage(
  request: WorkbenchRequest,
  problem?: { field: string; message: string },
  result = '',
) {
  const { c, identity, cookies } = request;
  const error = (field: string) =>
    problem?.field === field ? `<p class="error-message" id="${field}-error">${h(problem.message)}</p>` : '';
  return page(c, cookies, {
    title: 'Imports',
    identity,
    ...(problem ? { errors: [{ href: `#${problem.field}`, text: problem.message }] } : {}),
    body: `<h1>Imports</h1>${result}
<form method="post" action="/imports" enctype="multipart/form-data" novalidate>${csrfField(c, cookies)}
<fieldset id="kind"${problem?.field === 'kind' ? ' class="field-error"' : ''}><legend>What the file is</legend>${error('kind')}
${KINDS.map((kind, i) => `<div><input type="radio" id="kind-${kind.value}" name="kind" value="${kind.value}"${i === 0 ? ' checked' : ''}> <label for="kind-${kind.value}">${h(kind.label)}</label></div>`).join('')}
</fieldset>
<div class="field${problem?.field === 'file' ? ' field-error' : ''}"><label for="file">File (up to 5 MB)</label>${error('file')}<input type="file" id="file" name="file"${problem?.field === 'file' ? ' aria-describedby="file-error"' : ''}></div>
<button type="submit">Import</button></form>`,
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
    return importPage(request, { field: 'file', message: 'The file is larger than 5 MB' });
  const bytes = Buffer.from(await file.arrayBuffer());
  const name = file.name || 'upload';
  try {
    if ((RECORD_FILE_FORMATS as string[]).includes(kind)) {
      const records = readRecordFile(kind, bytes, name);
      const result = await ingest(
        records,
        { store, clock, notifier },
        {
          dualFraction: review.eligibility.dualFraction,
          label: `workbench import ${kind} by ${identity.id}`,
          alert: { keywords: review.eligibility.keywords },
        },
      );
      await completeAbandonedBatches({ store, clock, notifier });
      const summary = `<section aria-labelledby="result"><h2 id="result">Imported ${h(name)}</h2><p>${records.length} records read: ${result.new.length} new, ${result.duplicates.length} duplicates, ${result.unchanged.length} already stored, ${result.updated.length} updated.</p>
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
    const summary = await importStudyData(
      review,
      { store, clock, notifier },
      { text: bytes.toString('utf8'), format: kind, document: name },
    );
    const analysis = await reanalyse(review, { store, clock, notifier }, `workbench import of ${name}`);
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
