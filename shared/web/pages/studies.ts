/**
 * Studies: each with its reports and registrations (registry status, results posted), its inclusion and data,
 * and every recorded change. The team merges two studies or moves a report to another study here, as with
 * `living-review study`, each change kept with who, when and why; the analysis re-runs at once.
 */
import { reanalyse } from '#shared/analysis/reanalyse.ts';
import { InputError } from '#shared/errors.ts';
import type { Study } from '#shared/extraction/model.ts';
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { ROB1_TOOL, ROB2_TOOL } from '#shared/publishing/rob-model.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { historyIn, mergeStudies, moveReport } from '#shared/studies/manage.ts';
import type { WorkbenchRequest } from '../app.ts';
import { csrfField, page } from '../layout.ts';

export async function studiesPage({ c, identity, review, store, clock, cookies }: WorkbenchRequest) {
  const { units } = await loadEvidence(review, store, clock);
  const rows = [...units]
    .sort((a, b) => a.status.localeCompare(b.status) || a.label.localeCompare(b.label))
    .map(
      (unit) =>
        `<tr><th scope="row"><a href="/studies/${encodeURIComponent(unit.id)}">${h(unit.label)}</a></th><td data-label="Status">${h(unit.status)}</td><td data-label="Reports">${unit.reports.length}</td><td data-label="Registrations">${h(unit.registrations.join(', ') || '–')}</td><td data-label="Outcome data">${unit.dataStudyIds.length > 0 ? 'yes' : 'no'}</td></tr>`,
    )
    .join('');
  return page(c, cookies, {
    title: 'Studies',
    identity,
    body: `<h1>Studies</h1><div class="scroll" tabindex="0" role="region" aria-label="Studies, scrolls sideways"><table class="stack"><caption>${units.length} studies</caption>
<thead><tr><th scope="col">Study</th><th scope="col">Status</th><th scope="col">Reports</th><th scope="col">Registrations</th><th scope="col">Outcome data</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  });
}

/** The study's risk of bias as assessed, read-only: RoB 1 (the published review's, with its basis) and RoB 2. */
function riskOfBiasSection(study: Study | undefined): string {
  const rob = study?.riskOfBias;
  if (!rob || (!rob.rob1 && !rob.rob2)) return '<p>Not assessed yet.</p>';
  const rob1 = rob.rob1;
  const rob2 = rob.rob2;
  const table = (caption: string, support: string, rows: string) =>
    `<table><caption>${h(caption)}</caption><thead><tr><th scope="col">Domain</th><th scope="col">Judgement</th><th scope="col">${support}</th></tr></thead><tbody>${rows}</tbody></table>`;
  const row = (label: string, judgement: string, text: string) =>
    `<tr><th scope="row">${h(label)}</th><td>${h(judgement)}</td><td>${h(text)}</td></tr>`;
  return [
    rob1
      ? table(
          `RoB 1 (overall: ${rob.rob1Overall ?? 'not given'})`,
          'Basis',
          ROB1_TOOL.domains.map((d) => row(d.label, rob1[d.id].rating, rob1[d.id].basis)).join(''),
        )
      : '',
    rob2
      ? table(
          `RoB 2 (overall: ${rob2.overall}${rob.rob2Notes?.overallReason ? `; ${rob.rob2Notes.overallReason}` : ''})`,
          'Support',
          ROB2_TOOL.domains
            .map((d) => row(d.label, rob2.domains[d.id], rob.rob2Notes?.support[d.id] ?? ''))
            .join(''),
        )
      : '',
  ].join('');
}

export async function studyPage(request: WorkbenchRequest, problem?: string) {
  const { c, identity, review, store, clock, cookies } = request;
  const evidence = await loadEvidence(review, store, clock);
  const { unit, reports, events, decisions } = historyIn(evidence, c.req.param('id') ?? '');
  const assessed =
    evidence.studies.find((study) => unit.dataStudyIds.includes(study.id)) ??
    review.baseline.trials.find((trial) => trial.study.id === unit.id)?.study;
  const reportItems = reports
    .map((view) => {
      const registry = view.record.registry;
      return `<li><a href="/records/${encodeURIComponent(view.id)}">${h(view.record.title)}</a> <span class="note">${h(view.id)}${registry ? ` · registration ${h(registry.status)}${registry.hasResults ? ', results posted' : ', no results posted'}` : ''}</span></li>`;
    })
    .join('');
  const history = [
    ...events.map((event) => ({ at: event.at, text: `${event.action} by ${event.by}: ${event.reason}` })),
    ...decisions.map((d) => ({
      at: d.decidedAt,
      text: `${d.stage} ${d.decision}${d.reason ? ` (${d.reason})` : ''} by ${d.reviewer} on ${d.recordId}`,
    })),
  ]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((entry) => `<li>${h(entry.at.slice(0, 16).replace('T', ' '))} UTC: ${h(entry.text)}</li>`)
    .join('');
  const form = (action: string, legend: string, fields: string) =>
    `<form method="post" action="/studies/${encodeURIComponent(unit.id)}/${action}" novalidate>${csrfField(c, cookies)}<fieldset><legend>${legend}</legend>${fields}
<div class="field"><label for="${action}-reason">Why</label><input id="${action}-reason" name="reason"></div><button type="submit" class="secondary">${legend}</button></fieldset></form>`;
  return page(c, cookies, {
    title: unit.label,
    identity,
    ...(problem ? { errors: [{ href: '#changes', text: problem }] } : {}),
    body: `<h1>${h(unit.label)}</h1>
<p>Status: <strong>${h(unit.status)}</strong>${unit.inclusion ? `: ${h(unit.inclusion.basis)}` : ''}${unit.dataJudgement ? `. Data judged ${unit.dataJudgement.usable ? 'usable' : 'not usable'} by ${h(unit.dataJudgement.by)}` : ''}.</p>
${unit.status === 'included' ? `<p><a href="/studies/${encodeURIComponent(unit.id)}/extraction">Enter or correct its outcome data</a></p>` : ''}
<h2>Reports and registrations</h2><ul>${reportItems || '<li>No report stored (a baseline trial or a data source study).</li>'}</ul>
<h2>Risk of bias</h2>${riskOfBiasSection(assessed)}
<h2>History</h2><ul>${history || '<li>Nothing recorded.</li>'}</ul>
<h2 id="changes">Change the grouping</h2>
${form('merge', 'Merge into another study', '<div class="field"><label for="into">Study id to merge into</label><input id="into" name="into"></div>')}
${form('move', 'Move a report to another study', '<div class="field"><label for="record">Report (record id)</label><input id="record" name="record"></div><div class="field"><label for="to">Study id (a new one splits it off)</label><input id="to" name="to"></div><div class="field"><label for="label">Label of a new study, e.g. Smith 2025</label><input id="label" name="label"></div>')}`,
  });
}

/** Merge or move: the same use cases as `living-review study`, recorded with the signed-in user. */
export async function changeStudy(request: WorkbenchRequest, action: 'merge' | 'move') {
  const { c, identity, review, store, clock, notifier } = request;
  const body = await c.req.parseBody();
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const studyId = c.req.param('id') ?? '';
  try {
    if (!text('reason')) throw new InputError('say why, in "Why"');
    const change = { by: identity.id, reason: text('reason') };
    const ports = { review, store, clock };
    if (action === 'merge') await mergeStudies({ ...change, from: studyId, into: text('into') }, ports);
    else
      await moveReport(
        {
          ...change,
          recordId: text('record'),
          to: text('to'),
          ...(text('label') ? { label: text('label') } : {}),
        },
        ports,
      );
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return studyPage(request, error.message);
  }
  await reanalyse(review, { store, clock, notifier }, `study ${action}: ${studyId}`);
  await request.publish();
  return c.redirect(`/studies/${encodeURIComponent(studyId)}`, 303);
}
