/**
 * One record, as a screener sees it: what it is (title, abstract with the review's keywords marked, authors,
 * journal, year, links, the study it belongs to, the duplicates folded into it) and the decision buttons. Dual
 * screening is blind: another reviewer's decision shows only once you have decided, or to a lead settling a
 * conflict.
 */
import { reanalyse } from '#shared/analysis/reanalyse.ts';
import { ConflictError, InputError } from '#shared/errors.ts';
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { queueFor } from '#shared/screening/queue.ts';
import { screeningQueue, screenRecord } from '#shared/screening/screen.ts';
import type { StageState } from '#shared/screening/state.ts';
import { openStage } from '#shared/screening/view.ts';
import { DECISION_VALUES, type DecisionValue, STAGES, type Stage } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import type { WorkbenchRequest } from '../app.ts';
import { isLead } from '../identity.ts';
import { csrfField, page } from '../layout.ts';

/** The review's keywords marked in a text that is escaped first, so a keyword can never open markup. */
export function markKeywords(text: string, keywords: readonly string[]): string {
  const escaped = h(text);
  const words = keywords
    .map((keyword) => h(keyword).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  if (words.length === 0) return escaped;
  return escaped.replace(new RegExp(`\\b(${words.join('|')})\\b`, 'gi'), '<mark>$1</mark>');
}

const LABEL: Record<DecisionValue, string> = { include: 'Include', exclude: 'Exclude', maybe: 'Maybe' };
const KEY: Record<DecisionValue, string> = { include: 'i', exclude: 'e', maybe: 'm' };

export interface DecisionInput {
  request: { decision: DecisionValue; stage: Stage; reason?: string; note?: string; revise: boolean };
  settlesConflict: boolean;
  /** The form field a refusal is about. */
  problemField(message: string): string;
}

/** The decision form's fields, checked: a value outside the choices is refused as bad input. */
export function decisionInput(body: Record<string, unknown>): DecisionInput {
  const decision = DECISION_VALUES.find((value) => value === body.decision);
  const stage = STAGES.find((value) => value === body.stage);
  const reason = typeof body.reason === 'string' && body.reason !== '' ? body.reason : undefined;
  const note = typeof body.note === 'string' && body.note.trim() !== '' ? body.note : undefined;
  return {
    request: {
      decision: decision ?? 'maybe',
      stage: stage ?? 'title-abstract',
      ...(reason ? { reason } : {}),
      ...(note ? { note } : {}),
      revise: body.revise === '1',
    },
    settlesConflict: body.conflict === '1',
    problemField: (message) =>
      /reason/i.test(message) ? 'reason' : /note/.test(message) ? 'note' : 'decision',
  };
}

/** The next record in this reviewer's queue after the one just decided. */
export async function nextRecordAfter(
  request: WorkbenchRequest,
  recordId: string,
): Promise<string | undefined> {
  const mine = queueFor(await screeningQueue(request.store), request.identity.id);
  return mine.find((item) => item.id !== recordId)?.id;
}

function decisionsShown(state: StageState, reviewer: string, lead: boolean): string {
  const others = state.current.filter((decision) => decision.reviewer !== reviewer);
  const mine = state.current.find((decision) => decision.reviewer === reviewer);
  const visible = mine !== undefined || (state.status === 'conflict' && lead) || state.status === 'resolved';
  if (others.length === 0 && !mine) return '<p>No decision yet at this stage.</p>';
  if (!visible) {
    return `<p>${others.length} other reviewer${others.length === 1 ? ' has' : 's have'} decided; their decision stays hidden until you decide (blind dual screening).</p>`;
  }
  const items = state.current
    .map(
      (decision) =>
        `<li>${h(decision.reviewer)}: <strong>${h(decision.decision)}</strong>${decision.reason ? ` (${h(decision.reason)})` : ''}, ${h(decision.decidedAt.slice(0, 16).replace('T', ' '))} UTC${decision.note ? `<br><span class="note">Note: ${h(decision.note)}</span>` : ''}</li>`,
    )
    .join('');
  const conflict =
    state.status === 'conflict'
      ? '<p><strong>Conflict</strong>: the two reviewers disagree; a lead settles it.</p>'
      : '';
  return `<ul>${items}</ul>${conflict}`;
}

function decisionForm(
  request: WorkbenchRequest,
  recordId: string,
  state: StageState,
  problem?: { message: string; field: string },
): string {
  const { identity, review, c, cookies } = request;
  const mine = state.current.find((decision) => decision.reviewer === identity.id);
  const conflict = state.status === 'conflict' && !mine;
  if (state.status === 'resolved' && !mine)
    return `<p>Settled: <strong>${h(state.outcome ?? '')}</strong>.</p>`;
  if (conflict && !isLead(identity)) {
    return '<p>This record is a conflict between two reviewers: a lead settles it.</p>';
  }
  const reasons =
    state.stage === 'full-text'
      ? `<div class="field${problem?.field === 'reason' ? ' field-error' : ''}"><label for="reason">Reason (required to exclude at full text)</label>
${problem?.field === 'reason' ? `<p class="error-message" id="reason-error">${h(problem.message)}</p>` : ''}
<select id="reason" name="reason"${problem?.field === 'reason' ? ' aria-describedby="reason-error"' : ''}><option value="">Choose a reason</option>${review.eligibility.reasons
          .map((reason) => `<option value="${h(reason.code)}">${h(reason.label)}</option>`)
          .join('')}</select></div>`
      : '';
  const buttons = DECISION_VALUES.map(
    (value) =>
      `<button type="submit" name="decision" value="${value}" data-key="${KEY[value]}"${value === 'exclude' ? ' class="warning"' : value === 'maybe' ? ' class="secondary"' : ''}>${LABEL[value]} <kbd>${KEY[value]}</kbd></button>`,
  ).join(' ');
  const heading = mine
    ? `Change your decision (you decided ${h(mine.decision)})`
    : conflict
      ? 'Settle the conflict'
      : 'Your decision';
  return `<form method="post" action="/records/${encodeURIComponent(recordId)}/decisions" novalidate>
${csrfField(c, cookies)}<input type="hidden" name="stage" value="${state.stage}">${mine ? '<input type="hidden" name="revise" value="1">' : ''}${conflict ? '<input type="hidden" name="conflict" value="1">' : ''}
<fieldset id="decision"${problem?.field === 'decision' ? ' class="field-error"' : ''}><legend>${heading}</legend>
${problem?.field === 'decision' ? `<p class="error-message">${h(problem.message)}</p>` : ''}
${reasons}<div class="field${problem?.field === 'note' ? ' field-error' : ''}"><label for="note">Note (optional, kept with your decision)</label>${problem?.field === 'note' ? `<p class="error-message" id="note-error">${h(problem.message)}</p>` : ''}<textarea id="note" name="note" rows="2"></textarea></div>
<div class="decisions">${buttons}</div>
<p class="note">Keys: <kbd>i</kbd> include, <kbd>e</kbd> exclude, <kbd>m</kbd> maybe.</p></fieldset></form>`;
}

export async function recordPage(
  request: WorkbenchRequest,
  problem?: { message: string; field: string },
): Promise<Response> {
  const { c, identity, review, store, clock, cookies } = request;
  const id = c.req.param('id') ?? '';
  // One read of the store: the evidence holds the screening snapshot the record's view comes from.
  const evidence = await loadEvidence(review, store, clock);
  const { snapshot } = evidence;
  const view = snapshot.records.find((record) => record.id === id);
  if (!view) {
    const copy = snapshot.copies.find((candidate) => candidate.id === id);
    if (copy && copy.canonicalId !== id)
      return c.redirect(`/records/${encodeURIComponent(copy.canonicalId)}`, 303);
    return page(c, cookies, {
      title: 'Not found',
      identity,
      status: 404,
      body: `<h1>Not found</h1><p>No record ${h(id)}.</p>`,
    });
  }
  const unit = evidence.units.find((candidate) => candidate.reports.includes(view.id));
  const { record } = view;
  const stage = openStage(view);
  const links = [
    ...view.ids.pmids.map(
      (pmid) => `<a href="https://pubmed.ncbi.nlm.nih.gov/${h(pmid)}/">PubMed ${h(pmid)}</a>`,
    ),
    ...view.ids.dois.map((doi) => `<a href="https://doi.org/${h(doi)}">doi:${h(doi)}</a>`),
    ...view.ids.nctIds.map((nct) => `<a href="https://clinicaltrials.gov/study/${h(nct)}">${h(nct)}</a>`),
  ];
  const duplicates = view.copies.filter((copy) => copy.id !== view.id);
  const stages = [view.screening.titleAbstract, view.screening.fullText].filter(
    (state): state is StageState => state !== undefined,
  );
  const body = `<h1>${markKeywords(record.title, review.eligibility.keywords)}</h1>
<p class="note">${h(view.id)} · ${h(view.sources.join(', '))} · identified in cycle ${h(view.cycle)}${view.dual ? ' · dual-screening sample' : ''}${view.retracted ? ' · <strong>RETRACTED</strong>' : ''}</p>
<dl>
<dt>Authors</dt><dd>${h(record.authors.join(', ') || 'not given')}</dd>
<dt>Journal, year</dt><dd>${h([record.journal, record.year].filter(Boolean).join(', ') || 'not given')}</dd>
<dt>Links</dt><dd>${links.join(' · ') || 'none'}</dd>
<dt>Study</dt><dd>${unit ? `<a href="/studies/${encodeURIComponent(unit.id)}">${h(unit.label)}</a> (${h(unit.status)})` : 'not grouped yet'}</dd>
<dt>Duplicates folded in</dt><dd>${duplicates.length > 0 ? duplicates.map((copy) => h(copy.id)).join(', ') : 'none'}</dd>
${record.registry ? `<dt>Registration</dt><dd>${h(record.registry.status)}${record.registry.hasResults ? ', results posted' : ''}</dd>` : ''}
</dl>
<h2>Abstract</h2><p>${markKeywords(record.abstract || 'No abstract.', review.eligibility.keywords)}</p>
${stages.map((state) => `<h2>${state.stage === 'full-text' ? 'Full text' : 'Title and abstract'}</h2>${decisionsShown(state, identity.id, isLead(identity))}`).join('')}
${stage ? decisionForm(request, view.id, stage, problem) : `<p>Screening is over for this record: ${h(view.screening.status)}.</p>`}
<p><a href="/queue">Back to the queue</a></p>`;
  return page(c, cookies, {
    title: record.title,
    identity,
    body,
    ...(problem
      ? { errors: [{ href: `#${problem.field}`, text: problem.message }], status: 400 as const }
      : {}),
  });
}

/** A decision from the record page: the same use case as `living-review screen`, by the signed-in reviewer. */
export async function saveDecision(request: WorkbenchRequest): Promise<Response> {
  const { c, identity, review, store, clock, notifier } = request;
  const recordId = c.req.param('id') ?? '';
  const input = decisionInput(await c.req.parseBody());
  try {
    if (input.settlesConflict && !isLead(identity)) {
      throw new ConflictError('a conflict is settled by a lead: sign in as a lead to decide it');
    }
    const { decision } = await screenRecord(
      { recordId, reviewer: identity.id, ...input.request },
      { store, clock, eligibility: review.eligibility },
    );
    // A full-text decision may change what is included: the analysis and page are brought up to date at once
    // (a new analysis version is made only when the included evidence changed).
    if (decision.stage === 'full-text') {
      await reanalyse(review, { store, clock, notifier }, `full-text inclusion of ${recordId}`);
      await request.publish();
    }
    const next = await nextRecordAfter(request, recordId);
    return c.redirect(next ? `/records/${encodeURIComponent(next)}` : '/queue', 303);
  } catch (error) {
    if (!(error instanceof InputError || error instanceof ConflictError)) throw error;
    return recordPage(request, { message: error.message, field: input.problemField(error.message) });
  }
}
