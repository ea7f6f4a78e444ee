/**
 * index.html: the summary of findings beside the published review's values, forest plots,
 * narrative results, robustness, sensitivity and subgroup analyses, the studies, risk of bias, PRISMA flow,
 * version history and downloads. No JavaScript; real tables with captions and scoped headers.
 */
import type { DownloadFile } from './downloads.ts';
import { escapeHtml as h } from './escape.ts';
import { armTotals, renderForestPlot, weightPercents } from './forest.ts';
import {
  fixed,
  formatArmValue,
  formatChi2,
  formatCount,
  formatDate,
  formatDateTime,
  formatEstimate,
  formatI2,
  formatInterval,
  formatP,
  formatPStatement,
  formatWeight,
} from './format.ts';
import { renderFunnelPlot } from './funnel.ts';
import type {
  AlternativeAnalysisRow,
  ArmSummary,
  FindingRow,
  ForestPlotSpec,
  ListedStudy,
  PageModel,
  PooledValues,
  PrismaFlow,
  PublishedValues,
  SubgroupAnalysis,
} from './model.ts';
import { identifiedTotal, prismaRows, renderPrismaDiagram } from './prisma.ts';
import { renderPlotRiskOfBias, renderRiskOfBiasSection } from './rob.ts';
import { safeId } from './svg.ts';

/** Defence in depth behind escaping: even injected markup could load or run nothing. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

export interface PageAssets {
  stylesheetPath: string;
  feedPath: string;
  downloads: DownloadFile[];
}

const cell = (field: string, text: string) => `<td class="num" data-field="${field}">${h(text)}</td>`;

function estimateCell(values: Pick<PooledValues, 'measure' | 'estimate' | 'ci'>): string {
  // A stored interval that could not be estimated (e.g. one trial under Hartung-Knapp) is null in the JSON.
  const ci: readonly (number | null)[] | null = values.ci;
  if (!ci || ci.some((bound) => bound === null || !Number.isFinite(bound))) {
    return `<td class="num" data-field="estimate">${h(values.measure)} <span data-field="point">${h(formatEstimate(values.estimate))}</span> (<span data-field="ci">CI not estimable</span>)</td>`;
  }
  return (
    `<td class="num" data-field="estimate">${h(values.measure)} <span data-field="point">${h(formatEstimate(values.estimate))}</span>` +
    ` (<span data-field="ci">${h(formatInterval(values.ci))}</span>)</td>`
  );
}

function heterogeneityCell(values: PublishedValues): string {
  return (
    `<td data-field="heterogeneity">I² = <span data-field="i2">${h(formatI2(values.I2_Q))}</span>;<br>` +
    (values.Q === null || values.Q_df === null
      ? '<span data-field="chi2">Chi² not reported</span>'
      : `<span data-field="chi2">${h(formatChi2(values.Q, values.Q_df))}</span>`) +
    (values.heterogeneityLabel
      ? `<br><strong data-field="heterogeneity-label">${h(values.heterogeneityLabel)}</strong>`
      : '') +
    '</td>'
  );
}

function groupByTimepoint<T extends { timepoint: string }>(items: T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.timepoint, [...(groups.get(item.timepoint) ?? []), item]);
  return [...groups];
}

function valueCells(
  values: PublishedValues,
  labels?: { evidence: string; magnitude: string | null },
): string {
  return [
    cell('k', formatCount(values.k)),
    cell('n', values.n === null ? 'not reported' : formatCount(values.n)),
    estimateCell(values),
    `<td class="num" data-field="p">${h(values.pAsPrinted ?? formatP(values.p))}${labels ? `<br><span data-field="evidence">${h(labels.evidence)}</span>` : ''}</td>`,
    `<td data-field="magnitude">${h(labels?.magnitude ?? '–')}</td>`,
    heterogeneityCell(values),
  ].join('');
}

/** Two rows per outcome: this version, then the published review's values beneath it. */
function findingRows(row: FindingRow, published: string): string {
  const current = row.current;
  const outcome = current?.forestPlotId
    ? `<a href="#${h(safeId(current.forestPlotId))}">${h(row.outcome)}</a>`
    : h(row.outcome);
  const currentCells = current
    ? valueCells(current, current)
    : `<td colspan="6" data-field="not-pooled">${h(row.currentNote ?? 'Not pooled in this version')}</td>`;
  const publishedCells = row.published
    ? valueCells(row.published)
    : `<td colspan="6">Not reported in the ${h(published)}</td>`;
  const kind = row.analysis === 'main' ? '' : `<br><span class="note">${h(row.analysis)}</span>`;
  const notInPool =
    row.notInPool && row.notInPool.length > 0
      ? `<br><span class="note" data-field="not-in-pool">Included, not in this pool: ${row.notInPool.map(h).join(', ')}; see Studies</span>`
      : '';
  const trials = row.publishedTrials;
  const span = trials ? 3 : 2;
  const followUp = `<td rowspan="${span}" data-field="follow-up">${h(row.followUp ?? '–')}</td>`;
  const trialsRow = trials
    ? `<tr class="published-trials" data-outcome="${h(row.outcome)}" data-timepoint="${h(row.timepoint)}"><td>${h(published)}'s trials only, with the data that exist<br><span class="note">${h(trials.note)}</span></td>${
        trials.result ? valueCells(trials.result, trials.result) : '<td colspan="6">Not pooled</td>'
      }</tr>`
    : '';
  return (
    `<tr class="current" data-outcome="${h(row.outcome)}" data-timepoint="${h(row.timepoint)}" data-analysis="${h(row.analysis)}"><th scope="row" rowspan="${span}">${outcome}${kind}${notInPool}</th><td>This version</td>${currentCells}${followUp}</tr>` +
    trialsRow +
    `<tr class="published" data-outcome="${h(row.outcome)}" data-timepoint="${h(row.timepoint)}"><td>${h(published)}</td>${publishedCells}</tr>`
  );
}

function findingsSection(model: PageModel): string {
  const bodies = groupByTimepoint(model.findings).map(
    ([timepoint, rows]) =>
      `<tbody><tr><th scope="rowgroup" colspan="9">${h(timepoint)}</th></tr>${rows.map((row) => findingRows(row, model.review.publishedReview)).join('')}</tbody>`,
  );
  return `<section id="findings" aria-labelledby="findings-heading">
<h2 id="findings-heading">Summary of findings</h2>
<p>${h(model.methodNote)}</p>
<div class="scroll" tabindex="0" role="region" aria-label="Summary of findings table, scrolls sideways"><table id="summary-of-findings">
<caption>Main analysis in this version, with the values the ${h(model.review.publishedReview)} published beneath each outcome. Positive values favour ${h(model.review.intervention)}.</caption>
<thead><tr><th scope="col">Outcome</th><th scope="col">Source</th><th scope="col">Trials</th><th scope="col">N</th><th scope="col">Estimate (95% CI)</th><th scope="col">p, evidence</th><th scope="col">Magnitude</th><th scope="col">Heterogeneity</th><th scope="col">Follow-up after end of treatment</th></tr></thead>
${bodies.join('\n')}
</table></div>
<p class="note">N: participants providing outcome data. SMD: standardised mean difference; MD: mean difference; CI: confidence interval. Evidence labels follow the review: no evidence (p ≥ 0.1), weak (0.01 to 0.09), strong (p &lt; 0.01), very strong (p &lt; 0.001).</p>
</section>`;
}

function smallStudyText(spec: ForestPlotSpec): string {
  const effects = spec.smallStudyEffects;
  if (!effects) return '';
  const egger =
    effects.eggerP === null ? '' : ` Egger's test for funnel asymmetry: ${formatPStatement(effects.eggerP)}.`;
  const fill = effects.trimFill;
  const trimFill = fill
    ? ` Trim-and-fill: ${fill.missing} ${fill.missing === 1 ? 'study' : 'studies'} imputed on the ${fill.side}; adjusted ${spec.measure} ${formatEstimate(fill.estimate)} (95% CI ${formatInterval(fill.ci)}).`
    : '';
  return `${egger}${trimFill}`;
}

/** The plotted numbers as a table too: screen readers get the figure's title and description, not its rows. */
function studyTable(spec: ForestPlotSpec): string {
  const percents = weightPercents(spec.studies.map((study) => study.weight));
  const arm = (values: ArmSummary | null) =>
    (values ? [formatArmValue(values.mean), formatArmValue(values.sd), formatCount(values.n)] : ['', '', ''])
      .map((text) => `<td class="num">${h(text)}</td>`)
      .join('');
  const rows = spec.studies
    .map(
      (study, index) =>
        `<tr><th scope="row">${h(study.label)}${study.reversedScale === true ? ' (scale reversed)' : ''}</th>${arm(study.intervention)}${arm(study.control)}<td class="num">${h(formatEstimate(study.yi))}</td><td class="num">${h(formatInterval(study.ci))}</td><td class="num">${h(formatWeight(percents[index] ?? 0))}</td></tr>`,
    )
    .join('');
  const totals = armTotals(spec);
  const columns = ['Mean', 'SD', 'Total'];
  const armHeads = (armName: string) =>
    columns.map((column) => `<th scope="col">${h(`${armName} ${column.toLowerCase()}`)}</th>`).join('');
  return `<details><summary>The plotted numbers as a table</summary>
<div class="scroll"><table><caption>${h(spec.outcome)}, ${h(spec.timepoint)}: study results (${h(spec.measure)}); means as reported</caption>
<thead><tr><th scope="col">Study</th>${armHeads('Intervention')}${armHeads('Control')}<th scope="col">${h(spec.measure)}</th><th scope="col">95% CI</th><th scope="col">Weight</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row">Total (95% CI)</th><td></td><td></td><td class="num">${totals ? h(formatCount(totals.intervention)) : ''}</td><td></td><td></td><td class="num">${totals ? h(formatCount(totals.control)) : ''}</td><td class="num">${h(formatEstimate(spec.pooled.estimate))}</td><td class="num">${h(formatInterval(spec.pooled.ci))}</td><td class="num">100%</td></tr></tfoot></table></div>
</details>`;
}

function forestFigure(spec: ForestPlotSpec, model: PageModel): string {
  const id = safeId(spec.id);
  const funnel = renderFunnelPlot(spec);
  return `<section id="${h(id)}" class="forest" aria-labelledby="${h(id)}-heading">
<h3 id="${h(id)}-heading">${h(spec.outcome)}, ${h(spec.timepoint)}</h3>
<figure><div class="scroll figure-scroll" tabindex="0" role="region" aria-label="Forest plot: ${h(spec.outcome)}, ${h(spec.timepoint)}; scrolls sideways on narrow screens">${renderForestPlot(spec)}</div>
<figcaption>${h(spec.method)}. Heterogeneity and the test for the overall effect are beneath the plot, as RevMan prints them.</figcaption></figure>
${renderPlotRiskOfBias(spec, model.riskOfBias)}
${studyTable(spec)}
${funnel ? `<figure>${funnel}\n<figcaption>Funnel plot for the same analysis (drawn because it has at least 10 trials).${h(smallStudyText(spec))}</figcaption></figure>` : ''}
</section>`;
}

function forestSection(model: PageModel): string {
  const body =
    model.forestPlots.length > 0
      ? model.forestPlots.map((spec) => forestFigure(spec, model)).join('\n')
      : '<p>No outcome has enough trials with data to pool yet.</p>';
  return `<section id="forest-plots" aria-labelledby="forest-heading">
<h2 id="forest-heading">Forest plots</h2>
<p class="note">One plot per pooled analysis. Squares are sized by weight; the diamond is the pooled estimate with its 95% CI; the red line is the 95% prediction interval. An arrow marks a confidence interval that runs past the axis.</p>
${body}
</section>`;
}

function narrativeSection(model: PageModel): string {
  if (model.narratives.length === 0) return '';
  const rows = model.narratives
    .map(
      (line) =>
        `<tr><th scope="row">${h(line.outcome)}</th><td>${h(line.timepoint)}</td><td>${h(line.study)}</td><td>${h(line.text)}</td></tr>`,
    )
    .join('');
  return `<section id="narrative" aria-labelledby="narrative-heading">
<h2 id="narrative-heading">Outcomes with fewer than three trials</h2>
<div class="scroll" tabindex="0" role="region" aria-label="Outcomes with fewer than three trials table, scrolls sideways"><table><caption>Described study by study, as the review does when fewer than three trials have usable data</caption>
<thead><tr><th scope="col">Outcome</th><th scope="col">Timepoint</th><th scope="col">Study</th><th scope="col">Result</th></tr></thead>
<tbody>${rows}</tbody></table></div>
</section>`;
}

function alternativeRow(row: AlternativeAnalysisRow): string {
  const result = row.result;
  const values = result
    ? [
        cell('k', formatCount(result.k)),
        cell('n', formatCount(result.n)),
        estimateCell(result),
        cell('pi', row.predictionInterval ? formatInterval(row.predictionInterval) : '–'),
        `<td class="num" data-field="p">${h(formatP(result.p))}<br>${h(result.evidence)}</td>`,
        heterogeneityCell(result),
      ].join('')
    : `<td colspan="6">Not run${row.note ? `: ${h(row.note)}` : ''}</td>`;
  const note = result && row.note ? `<br><span class="note">${h(row.note)}</span>` : '';
  return `<tr><th scope="row">${h(row.outcome)}</th><td>${h(row.timepoint)}</td><td>${h(row.label)}${note}</td>${values}</tr>`;
}

function subgroupTable(analysis: SubgroupAnalysis): string {
  const groups = analysis.groups
    .map((group) => {
      const values = group.result
        ? [
            cell('k', formatCount(group.result.k)),
            cell('n', formatCount(group.result.n)),
            estimateCell(group.result),
            cell('p', formatP(group.result.p)),
            `<td class="num" data-field="heterogeneity">I² = ${h(formatI2(group.result.I2_Q))}; τ² = ${h(fixed(group.result.tau2, 3))}</td>`,
          ].join('')
        : `<td colspan="5">${h(group.note ?? 'Not pooled')}</td>`;
      return `<tr><th scope="row">${h(group.label)}</th>${values}</tr>`;
    })
    .join('');
  const test = analysis.test
    ? `Test for subgroup differences: ${formatChi2(analysis.test.Q, analysis.test.Q_df)}, ${formatPStatement(analysis.test.p)}`
    : 'Test for subgroup differences: not possible';
  return `<div class="scroll" tabindex="0" role="region" aria-label="${h(analysis.outcome)}, ${h(analysis.timepoint)}: ${h(analysis.label)} table, scrolls sideways"><table class="subgroup"><caption>${h(analysis.outcome)}, ${h(analysis.timepoint)}: ${h(analysis.label)}</caption>
<thead><tr><th scope="col">Subgroup</th><th scope="col">Trials</th><th scope="col">N</th><th scope="col">Estimate (95% CI)</th><th scope="col">p</th><th scope="col">Heterogeneity</th></tr></thead>
<tbody>${groups}</tbody>
<tfoot><tr><td colspan="6" data-field="subgroup-test">${h(test)}${analysis.note ? `. ${h(analysis.note)}` : ''}</td></tr></tfoot></table></div>`;
}

function robustnessSection(model: PageModel): string {
  const rows = model.alternativeAnalyses.map(alternativeRow).join('');
  const table =
    model.alternativeAnalyses.length > 0
      ? `<div class="scroll" tabindex="0" role="region" aria-label="Robustness and sensitivity table, scrolls sideways"><table id="robustness"><caption>Robustness and sensitivity analyses beside the main analysis</caption>
<thead><tr><th scope="col">Outcome</th><th scope="col">Timepoint</th><th scope="col">Analysis</th><th scope="col">Trials</th><th scope="col">N</th><th scope="col">Estimate (95% CI)</th><th scope="col">Prediction interval</th><th scope="col">p, evidence</th><th scope="col">Heterogeneity</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
      : '<p>No robustness or sensitivity analysis could be run.</p>';
  const subgroups =
    model.subgroups.length > 0
      ? model.subgroups.map(subgroupTable).join('\n')
      : '<p>No subgroup analysis could be run.</p>';
  return `<section id="sensitivity" aria-labelledby="sensitivity-heading">
<h2 id="sensitivity-heading">Robustness, sensitivity and subgroup analyses</h2>
${table}
<h3>Subgroups</h3>
${subgroups}
</section>`;
}

function listedTable(id: string, caption: string, studies: readonly ListedStudy[]): string {
  const rows = studies
    .map((study) => `<tr><th scope="row">${h(study.label)}</th><td>${h(study.status)}</td></tr>`)
    .join('');
  return `<div class="scroll" tabindex="0" role="region" aria-label="${h(caption)} table, scrolls sideways"><table id="${id}"><caption>${h(caption)} (${studies.length})</caption>
<thead><tr><th scope="col">Study</th><th scope="col">Status</th></tr></thead>
<tbody>${rows || '<tr><td colspan="2">None</td></tr>'}</tbody></table></div>`;
}

function dataSourcesText(model: PageModel): string {
  if (model.dataSources.length === 0)
    return '<p id="data-sources">No outcome data have been extracted yet.</p>';
  const items = model.dataSources
    .map(
      (source) =>
        `<li><code>${h(source.document)}</code>: ${h(source.description)} (${h(source.studies.join(', '))})</li>`,
    )
    .join('');
  return `<div id="data-sources"><p>Where the outcome data come from (each row of <a href="data.csv">data.csv</a> names its file and row):</p><ul>${items}</ul></div>`;
}

/** One sentence a reader can check the counts with. */
function reconciliationLine(model: PageModel): string {
  const included = model.includedStudies.length;
  const pooled = model.includedStudies.filter((study) => !study.notPooledReason).length;
  return `${included} included ${included === 1 ? 'study' : 'studies'} (as the PRISMA flow counts them): ${pooled} in at least one pooled analysis, ${included - pooled} listed with the reason ${included - pooled === 1 ? 'it is' : 'they are'} not. Only included studies are pooled.`;
}

function studiesSection(model: PageModel): string {
  const included = model.includedStudies
    .map(
      (study) =>
        `<tr><th scope="row">${h(study.label)}${study.citation ? `<br><span class="note">${h(study.citation)}</span>` : ''}</th>${study.characteristics.map((value) => `<td>${h(value ?? 'Not reported')}</td>`).join('')}<td>${h(study.comparator)}</td><td>${h(study.country)}</td><td class="num">${study.nRandomised === null ? 'Not reported' : h(formatCount(study.nRandomised))}</td><td>${h(study.inclusion)}</td><td>${h(study.dataStatus)}${study.notPooledReason ? `<br>Not pooled: ${h(study.notPooledReason)}` : ''}</td></tr>`,
    )
    .join('');
  const excluded = model.excludedStudies
    .map((study) => `<tr><th scope="row">${h(study.label)}</th><td>${h(study.reason)}</td></tr>`)
    .join('');
  return `<section id="studies" aria-labelledby="studies-heading">
<h2 id="studies-heading">Studies</h2>
<div class="scroll" tabindex="0" role="region" aria-label="Included studies table, scrolls sideways"><table id="included-studies"><caption>Included studies (${model.includedStudies.length})</caption>
<thead><tr><th scope="col">Study</th>${model.characteristics.map((label) => `<th scope="col">${h(label)}</th>`).join('')}<th scope="col">Comparator</th><th scope="col">Country</th><th scope="col">N randomised</th><th scope="col">Included by</th><th scope="col">Outcome data</th></tr></thead>
<tbody>${included}</tbody></table></div>
<p id="reconciliation">${h(reconciliationLine(model))}</p>
${dataSourcesText(model)}
${listedTable('awaiting-classification', 'Awaiting classification (in screening)', model.awaitingClassification)}
${listedTable('ongoing-studies', 'Ongoing studies (registrations without results)', model.ongoingStudies)}
${listedTable('retracted-studies', 'Retracted', model.retractedStudies)}
<div class="scroll" tabindex="0" role="region" aria-label="Excluded studies table, scrolls sideways"><table id="excluded-studies"><caption>Excluded studies with reasons (${model.excludedStudies.length})</caption>
<thead><tr><th scope="col">Study</th><th scope="col">Reason</th></tr></thead>
<tbody>${excluded || '<tr><td colspan="2">None listed</td></tr>'}</tbody></table></div>
</section>`;
}

function prismaRow(label: string, searchedUntil: string, flow: PrismaFlow): string {
  const sources = flow.identified.map((item) => `${h(item.source)}: ${h(formatCount(item.n))}`).join('<br>');
  const count = (value: number | undefined) => (value === undefined ? '–' : h(formatCount(value)));
  return `<tr><th scope="row">${h(label)}</th><td class="num">${h(formatDate(searchedUntil))}</td><td>${h(formatCount(identifiedTotal(flow)))}<br><span class="note">${sources}</span></td><td class="num">${count(flow.duplicatesRemoved)}</td><td class="num">${count(flow.screened)}</td><td class="num">${count(flow.awaitingScreening)}</td><td class="num">${count(flow.excludedAtScreening)}</td><td class="num">${count(flow.reportsSought ?? flow.fullTextsAssessed)}</td><td class="num">${count(flow.fullTextsAssessed)}</td><td class="num">${count(flow.excludedAtFullText)}</td><td class="num">${h(formatCount(flow.studiesIncluded))} (${h(formatCount(flow.reportsIncluded))} ${flow.reportsIncluded === 1 ? 'report' : 'reports'})</td></tr>`;
}

function prismaSection(model: PageModel): string {
  const rows = prismaRows(model.prisma)
    .map(
      (cycle) =>
        prismaRow(
          `${cycle.label}${cycle.otherMethods ? ': databases and registers' : ''}`,
          cycle.searchedUntil,
          cycle,
        ) +
        (cycle.otherMethods
          ? prismaRow(`${cycle.label}: other methods`, cycle.searchedUntil, cycle.otherMethods)
          : ''),
    )
    .join('');
  return `<section id="prisma" aria-labelledby="prisma-heading">
<h2 id="prisma-heading">How studies were found (PRISMA 2020)</h2>
<figure><div class="scroll figure-scroll" tabindex="0" role="region" aria-label="PRISMA 2020 flow diagram, scrolls sideways on narrow screens">${renderPrismaDiagram(model.prisma)}</div><figcaption>PRISMA 2020 flow diagram for an updated review: the ${h(model.review.publishedReview)}, the new studies found by the updates since through databases and registers and through other methods, and the total included.</figcaption></figure>
<div class="scroll" tabindex="0" role="region" aria-label="PRISMA counts table, scrolls sideways"><table id="prisma-counts"><caption>PRISMA counts per search cycle and route, and cumulatively</caption>
<thead><tr><th scope="col">Cycle</th><th scope="col">Searched to</th><th scope="col">Records identified</th><th scope="col">Duplicates removed</th><th scope="col">Screened</th><th scope="col">Awaiting screening</th><th scope="col">Excluded at screening</th><th scope="col">Reports sought</th><th scope="col">Full texts assessed</th><th scope="col">Excluded at full text</th><th scope="col">Studies included</th></tr></thead>
<tbody>${rows}</tbody></table></div>
</section>`;
}

function historySection(model: PageModel): string {
  const rows = model.history
    .map(
      (entry) =>
        `<tr id="version-${h(encodeURIComponent(entry.version))}"${entry.material ? ' class="material"' : ''}><th scope="row">${h(entry.version)}</th><td>${h(formatDateTime(entry.time))}</td><td>${entry.material ? 'Material change: ' : ''}${entry.changes.length > 0 ? entry.changes.map(h).join('<br>') : 'No change in the evidence'}</td><td><code>${h(entry.hash)}</code></td></tr>`,
    )
    .join('');
  return `<section id="history" aria-labelledby="history-heading">
<h2 id="history-heading">Version history</h2>
<div class="scroll" tabindex="0" role="region" aria-label="Version history table, scrolls sideways"><table id="version-history"><caption>What changed and when, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Time</th><th scope="col">What changed</th><th scope="col">Inputs hash</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">No versions yet</td></tr>'}</tbody></table></div>
</section>`;
}

function downloadsSection(assets: PageAssets): string {
  const items = assets.downloads
    .map(
      (file) =>
        `<li><a href="${h(file.path)}" type="${h(file.contentType)}">${h(file.label)}</a> (${h(file.path)}, ${file.bytes.length} bytes, SHA-256 <code>${h(file.sha256)}</code>)</li>`,
    )
    .join('');
  return `<section id="downloads" aria-labelledby="downloads-heading">
<h2 id="downloads-heading">Downloads</h2>
<ul>${items}<li><a href="${h(assets.feedPath)}" type="application/atom+xml">Atom feed of versions</a> (${h(assets.feedPath)})</li></ul>
</section>`;
}

function header(model: PageModel): string {
  const sources = model.sources
    .map(
      (source) =>
        `<tr><th scope="row">${h(source.source)}</th><td>${source.lastSearched ? h(formatDateTime(source.lastSearched)) : 'Never'}</td></tr>`,
    )
    .join('');
  return `<header>
<p class="meta">Living systematic review</p>
<h1>${h(model.review.title)}</h1>
<p>${h(model.review.citation)}</p>
<p id="question"><strong>Review question:</strong> ${h(model.review.question)}</p>
<p class="meta">Version ${h(model.version)} · generated ${h(formatDateTime(model.generatedAt))} · sources last checked ${h(formatDateTime(model.lastChecked))} · inputs hash <code>${h(model.hash)}</code></p>
<table id="sources"><caption>When each source was last searched</caption>
<thead><tr><th scope="col">Source</th><th scope="col">Last searched</th></tr></thead>
<tbody>${sources}</tbody></table>
<nav aria-label="Sections"><ul><li><a href="#findings">Summary of findings</a></li><li><a href="#forest-plots">Forest plots</a></li>${model.narratives.length > 0 ? '<li><a href="#narrative">Fewer than three trials</a></li>' : ''}<li><a href="#sensitivity">Robustness and subgroups</a></li><li><a href="#studies">Studies</a></li><li><a href="#risk-of-bias">Risk of bias</a></li><li><a href="#prisma">PRISMA</a></li><li><a href="#history">Version history</a></li><li><a href="#downloads">Downloads</a></li></ul></nav>
</header>`;
}

export function renderPage(model: PageModel, assets: PageAssets): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${h(model.review.title)}: living review, version ${h(model.version)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${h(assets.stylesheetPath)}">
<link rel="alternate" type="application/atom+xml" title="Versions" href="${h(assets.feedPath)}">
</head>
<body>
${header(model)}
<main>
${findingsSection(model)}
${forestSection(model)}
${narrativeSection(model)}
${robustnessSection(model)}
${studiesSection(model)}
${renderRiskOfBiasSection(model.riskOfBias)}
${prismaSection(model)}
${historySection(model)}
${downloadsSection(assets)}
</main>
<footer><p class="note">Generated by living-review from version ${h(model.version)} of the analysis. Numbers are rounded for display; the downloads hold the full values.</p></footer>
</body>
</html>
`;
}
