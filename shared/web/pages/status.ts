/** Where the review stands: PRISMA counts, agreement per stage, progress per reviewer, polls, the analysis version. */
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { statusOf } from '#shared/screening/screen.ts';
import { loadReview as loadScreening } from '#shared/screening/view.ts';
import type { WorkbenchRequest } from '../app.ts';
import { page } from '../layout.ts';

const kappaText = (kappa: number | null) => (kappa === null ? 'not estimable yet' : kappa.toFixed(2));

export async function statusPage({
  c,
  identity,
  review,
  store,
  cookies,
}: WorkbenchRequest): Promise<Response> {
  const [snapshot, pubmed, ctgov, latest] = await Promise.all([
    loadScreening(store),
    store.getWatermark('pubmed'),
    store.getWatermark('ctgov'),
    store.latestAnalysisVersion(),
  ]);
  const status = statusOf(snapshot, { pubmed, ctgov });
  const perReviewer = new Map<string, number>();
  for (const decision of snapshot.decisions) {
    perReviewer.set(decision.reviewer, (perReviewer.get(decision.reviewer) ?? 0) + 1);
  }
  const flow = status.prisma;
  const progress = [...perReviewer]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reviewer, count]) => `<tr><th scope="row">${h(reviewer)}</th><td>${count}</td></tr>`)
    .join('');
  return page(c, cookies, {
    title: 'Status',
    identity,
    body: `<h1>${h(review.title)}</h1>
<p class="note">Review <code>${h(review.id)}</code>, keeping alive: ${h(review.citation)}</p>
<h2>Where screening stands</h2>
<ul>
<li>${status.records} records (${status.duplicates} duplicate copies folded in); <a href="/queue">${status.queue.pending} waiting</a>, ${status.queue.conflicts} conflicts</li>
<li>Included studies: ${status.included}</li>
<li>PRISMA: identified ${flow.identified.total}; duplicates removed ${flow.duplicatesRemoved}; screened ${flow.screened}; excluded at title/abstract ${flow.excludedTitleAbstract}; full texts assessed ${flow.fullTextAssessed}; excluded at full text ${flow.excludedFullText.total}; included ${flow.included}</li>
<li>Agreement, title/abstract: ${status.agreement.titleAbstract.pairs} dual-screened, kappa ${kappaText(status.agreement.titleAbstract.kappa)}; full text: ${status.agreement.fullText.pairs}, kappa ${kappaText(status.agreement.fullText.kappa)}</li>
<li>Last successful poll: PubMed ${h(status.sources.pubmed.lastSuccess ?? 'never')}, ClinicalTrials.gov ${h(status.sources.ctgov.lastSuccess ?? 'never')}</li>
<li>Analysis: ${latest ? `version ${latest.version} of ${h(latest.createdAt.slice(0, 16).replace('T', ' '))} UTC` : 'none yet'}</li>
</ul>
<h2>Decisions per reviewer</h2>
${progress ? `<table><caption>Decisions recorded, every stage and revision</caption><thead><tr><th scope="col">Reviewer</th><th scope="col">Decisions</th></tr></thead><tbody>${progress}</tbody></table>` : '<p>No decisions yet.</p>'}`,
  });
}
