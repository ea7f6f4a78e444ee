/** The screening queue of the signed-in reviewer, ranked as the project ranks it, a page at a time. */
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { queueFor } from '#shared/screening/queue.ts';
import { screeningQueue } from '#shared/screening/screen.ts';
import type { WorkbenchRequest } from '../app.ts';
import { isLead } from '../identity.ts';
import { page } from '../layout.ts';

export const QUEUE_PAGE_SIZE = 25;

export async function queuePage({ c, identity, store, cookies }: WorkbenchRequest): Promise<Response> {
  const items = queueFor(await screeningQueue(store), identity.id).filter(
    // A conflict is for a lead to settle; a reviewer's queue holds what they can decide.
    (item) => !item.conflict || isLead(identity),
  );
  const pages = Math.max(1, Math.ceil(items.length / QUEUE_PAGE_SIZE));
  const requested = Number.parseInt(c.req.query('page') ?? '1', 10);
  const current = Number.isInteger(requested) ? Math.min(Math.max(requested, 1), pages) : 1;
  const shown = items.slice((current - 1) * QUEUE_PAGE_SIZE, current * QUEUE_PAGE_SIZE);
  const rows = shown
    .map(
      (item) =>
        `<tr><td><a href="/records/${encodeURIComponent(item.id)}">${h(item.title)}</a><br><span class="note">${h(item.id)}${item.year ? ` · ${item.year}` : ''}</span></td><td data-label="Stage">${item.stage === 'full-text' ? 'Full text' : 'Title/abstract'}</td><td data-label="Why">${item.conflict ? '<strong>Conflict</strong>: ' : ''}${h(item.why)}</td></tr>`,
    )
    .join('');
  const pager =
    pages > 1
      ? `<nav aria-label="Queue pages"><p>Page ${current} of ${pages}. ${current > 1 ? `<a href="/queue?page=${current - 1}">Previous</a> ` : ''}${current < pages ? `<a href="/queue?page=${current + 1}">Next</a>` : ''}</p></nav>`
      : '';
  const first = shown[0];
  return page(c, cookies, {
    title: 'Screening queue',
    identity,
    body: `<h1>Screening queue</h1>
<p>${items.length} record${items.length === 1 ? '' : 's'} waiting for your decision.${first ? ` <a href="/records/${encodeURIComponent(first.id)}">Start with the first</a>.` : ''}</p>
${
  rows
    ? `<div class="scroll" tabindex="0" role="region" aria-label="Queue, scrolls sideways"><table class="stack"><caption>Records waiting for you</caption><thead><tr><th scope="col">Record</th><th scope="col">Stage</th><th scope="col">Why it is here</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '<p>Nothing is waiting for you.</p>'
}${pager}`,
  });
}
