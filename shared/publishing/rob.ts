/**
 * The risk-of-bias parts of the page: per tool a summary graph (RevMan's "risk of bias graph": stacked bars of
 * the share of studies per judgement in each domain) with its numbers and the studies' judgements, and beside
 * each forest plot a compact table of exactly the studies that plot pools. No JavaScript: a RoB 1 judgement's
 * basis opens in a details element. Meaning never rests on colour alone: bars carry patterns and written
 * percentages, table cells carry words or a symbol with a legend.
 */
import { escapeHtml as h, escapeXml as x } from './escape.ts';
import type {
  ForestPlotSpec,
  ResultRiskOfBias,
  RiskOfBiasSummary,
  Rob1StudyAssessment,
  Rob2StudyAssessment,
  RobTool,
  StudyRiskOfBias,
} from './model.ts';
import {
  JUDGEMENT_WORDS,
  NOT_ASSESSED,
  ROB1_TOOL,
  ROB2_TOOL,
  type RobDomain,
  riskOfBiasShares,
  type ShownJudgement,
  type ToolShares,
} from './rob-model.ts';
import { coord, safeId, svgOpen, svgText, wrap } from './svg.ts';

const toolSlug = (tool: RobTool) => safeId(tool.toLowerCase());

/** "some concerns" → "rob-some-concerns": the class that colours a judgement. */
const judgementClass = (judgement: ShownJudgement) => `rob-${judgement.replaceAll(' ', '-')}`;

/** The mark of a judgement in compact tables, as RevMan's forest plots mark them (+ ? −), with two more. */
const SYMBOLS: Record<ShownJudgement, string> = {
  low: '+',
  unclear: '?',
  'some concerns': '?',
  high: '\u2212',
  'varies by result': '~',
  [NOT_ASSESSED]: '\u00b7',
};

/** Fill and pattern of each judgement's bar segment; the pattern is what tells them apart without colour. */
const PATTERNS: Record<
  ShownJudgement,
  { fill: string; ink: string; marks: 'none' | 'lines' | 'cross' | 'dots' }
> = {
  low: { fill: '#8ccf98', ink: '#8ccf98', marks: 'none' },
  unclear: { fill: '#f3d36b', ink: '#6b5200', marks: 'lines' },
  'some concerns': { fill: '#f3d36b', ink: '#6b5200', marks: 'lines' },
  high: { fill: '#e48a84', ink: '#5e1410', marks: 'cross' },
  'varies by result': { fill: '#d4d4d4', ink: '#2f2f2f', marks: 'dots' },
  [NOT_ASSESSED]: { fill: '#ffffff', ink: '#ffffff', marks: 'none' },
};

function patternDefinition(id: string, judgement: ShownJudgement): string {
  const { fill, ink, marks } = PATTERNS[judgement];
  const background = `<rect width="6" height="6" fill="${fill}"/>`;
  const drawn = {
    none: '',
    lines: `<line x1="0" y1="0" x2="0" y2="6" stroke="${ink}" stroke-width="1.4"/>`,
    cross: `<line x1="0" y1="0" x2="0" y2="6" stroke="${ink}" stroke-width="1.2"/><line x1="0" y1="3" x2="6" y2="3" stroke="${ink}" stroke-width="1.2"/>`,
    dots: `<circle cx="3" cy="3" r="1.2" fill="${ink}"/>`,
  }[marks];
  const rotate = marks === 'lines' || marks === 'cross' ? ' patternTransform="rotate(45)"' : '';
  return `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse"${rotate}>${background}${drawn}</pattern>`;
}

const CHART = {
  width: 720,
  labelWidth: 290,
  barX: 300,
  barWidth: 400,
  top: 10,
  rowHeight: 32,
  barHeight: 20,
  /** Space between the domains and the overall judgement. */
  overallGap: 10,
  /** A percentage is written inside its segment when the segment is at least this wide. */
  minLabelWidth: 30,
  labelChars: 46,
};

const countWords = (n: number, of: number) => `${n} of ${of} ${of === 1 ? 'study' : 'studies'}`;

/** The chart's numbers in words, for its <desc>: every judgement any study was given, per domain. */
function chartDescription(shares: ToolShares): string {
  const lines = shares.domains.map((domain) => {
    const given = domain.shares
      .filter((share) => share.studies > 0)
      .map(
        (share) =>
          `${JUDGEMENT_WORDS[share.judgement].toLowerCase()} ${countWords(share.studies, shares.studies)} (${share.percent}%)`,
      );
    return `${domain.label}: ${given.join(', ')}.`;
  });
  return [
    `Share of the ${shares.studies} ${shares.studies === 1 ? 'study' : 'studies'} assessed with ${shares.tool} given each judgement, by domain; each study counts once (unweighted).`,
    ...lines,
  ].join(' ');
}

/** Which judgements the legend explains: the tool's scale always, the others only when given. */
function legendJudgements(shares: ToolShares): ShownJudgement[] {
  const scale: ShownJudgement[] =
    shares.tool === 'RoB 1' ? ['low', 'unclear', 'high'] : ['low', 'some concerns', 'high'];
  const given = new Set(
    shares.domains.flatMap((d) => d.shares.filter((s) => s.studies > 0).map((s) => s.judgement)),
  );
  const order = shares.domains[0]?.shares.map((share) => share.judgement) ?? scale;
  return order.filter((judgement) => scale.includes(judgement) || given.has(judgement));
}

/** A long domain label breaks before its bracketed bias type, "(detection bias)", rather than inside it. */
function labelLines(label: string): string[] {
  const bracket = label.indexOf(' (');
  if (label.length <= CHART.labelChars) return [label];
  if (bracket > 0) return [label.slice(0, bracket), label.slice(bracket + 1)];
  return wrap(label, CHART.labelChars).slice(0, 2);
}

/** RevMan's risk of bias graph for one tool, as an accessible inline SVG. */
export function renderRiskOfBiasChart(shares: ToolShares): string {
  const id = `rob-graph-${toolSlug(shares.tool)}`;
  const patternId = (judgement: ShownJudgement) => `${id}-${safeId(judgement)}`;
  const legend = legendJudgements(shares);
  const overallIndex = shares.domains.findIndex((domain) => domain.id === 'overall');
  const rowTop = (index: number) =>
    CHART.top + index * CHART.rowHeight + (overallIndex >= 0 && index >= overallIndex ? CHART.overallGap : 0);
  const axisY = rowTop(shares.domains.length) + 4;
  const legendY = axisY + 34;
  const height = legendY + 24;
  const parts: string[] = [
    svgOpen(
      id,
      'rob-graph',
      CHART.width,
      height,
      `Risk of bias graph, ${shares.tool}: ${shares.studies} ${shares.studies === 1 ? 'study' : 'studies'}`,
      chartDescription(shares),
    ),
    `<defs>${(shares.domains[0]?.shares ?? []).map((share) => patternDefinition(patternId(share.judgement), share.judgement)).join('')}</defs>`,
  ];
  shares.domains.forEach((domain, index) => {
    const top = rowTop(index);
    const barTop = top + (CHART.rowHeight - CHART.barHeight) / 2;
    const lines = labelLines(domain.label);
    const firstBaseline = top + CHART.rowHeight / 2 + 4 - (lines.length - 1) * 7;
    lines.forEach((line, i) => {
      parts.push(
        svgText(CHART.labelWidth, firstBaseline + i * 14, line, {
          anchor: 'end',
          className: domain.id === 'overall' ? 'head' : 'domain',
          tooltip: domain.label,
        }),
      );
    });
    let x0 = CHART.barX;
    for (const share of domain.shares) {
      if (share.studies === 0) continue;
      const width = (CHART.barWidth * share.studies) / shares.studies;
      const words = `${domain.label}: ${JUDGEMENT_WORDS[share.judgement].toLowerCase()}, ${countWords(share.studies, shares.studies)} (${share.percent}%)`;
      parts.push(
        `<rect class="rob-segment" data-judgement="${x(share.judgement)}" x="${coord(x0)}" y="${coord(barTop)}" width="${coord(width)}" height="${coord(CHART.barHeight)}" fill="url(#${patternId(share.judgement)})"><title>${x(words)}</title></rect>`,
      );
      if (width >= CHART.minLabelWidth) {
        parts.push(
          svgText(x0 + width / 2, barTop + CHART.barHeight / 2 + 4, `${share.percent}%`, {
            anchor: 'middle',
            className: 'share',
          }),
        );
      }
      x0 += width;
    }
  });
  parts.push(
    `<line class="axis" x1="${coord(CHART.barX)}" y1="${coord(axisY)}" x2="${coord(CHART.barX + CHART.barWidth)}" y2="${coord(axisY)}"/>`,
  );
  for (const tick of [0, 25, 50, 75, 100]) {
    const tx = CHART.barX + (CHART.barWidth * tick) / 100;
    parts.push(
      `<line class="axis" x1="${coord(tx)}" y1="${coord(axisY)}" x2="${coord(tx)}" y2="${coord(axisY + 4)}"/>`,
      svgText(tx, axisY + 16, `${tick}%`, { anchor: 'middle', className: 'tick' }),
    );
  }
  let legendX = CHART.barX - 120;
  for (const judgement of legend) {
    const words = JUDGEMENT_WORDS[judgement];
    parts.push(
      `<rect class="rob-segment" x="${coord(legendX)}" y="${coord(legendY - 11)}" width="14" height="14" fill="url(#${patternId(judgement)})"/>`,
      svgText(legendX + 19, legendY, words),
    );
    legendX += 19 + words.length * 7 + 16;
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The graph's numbers as a table: the bars' studies and percentages, readable and copyable. */
function sharesTable(shares: ToolShares): string {
  const judgements = shares.domains[0]?.shares.map((share) => share.judgement) ?? [];
  const head = judgements.map((j) => `<th scope="col">${h(JUDGEMENT_WORDS[j])}</th>`).join('');
  const rows = shares.domains
    .map(
      (domain) =>
        `<tr data-domain="${h(domain.id)}"><th scope="row">${h(domain.label)}</th>${domain.shares
          .map(
            (share) =>
              `<td class="num" data-judgement="${h(share.judgement)}">${share.studies} (${share.percent}%)</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<details><summary>The graph's numbers as a table</summary>
<div class="scroll" tabindex="0" role="region" aria-label="${h(shares.tool)} graph numbers, scrolls sideways"><table id="rob-shares-${toolSlug(shares.tool)}"><caption>${h(shares.tool)}: studies per judgement in each domain (of ${shares.studies}, unweighted)</caption>
<thead><tr><th scope="col">Domain</th>${head}</tr></thead>
<tbody>${rows}</tbody></table></div>
</details>`;
}

function judgementCell(judgement: ShownJudgement, options: { basis?: string; field?: string } = {}): string {
  const words = h(JUDGEMENT_WORDS[judgement]);
  const content = options.basis
    ? `<details><summary>${words}</summary><p class="rob-basis">${h(options.basis)}</p></details>`
    : words;
  const field = options.field ? ` data-field="${h(options.field)}"` : '';
  return `<td class="${judgementClass(judgement)}"${field} data-judgement="${h(judgement)}">${content}</td>`;
}

/** A note shared by several studies (e.g. "also rated with RoB 2") is written once under the table. */
interface Footnotes {
  idOf(note: string): string;
  numberOf(note: string): number;
}

function footnotesOf(
  tool: RobTool,
  studies: readonly StudyRiskOfBias[],
): { notes: string[]; footnotes: Footnotes } {
  const notes = [...new Set(studies.flatMap((study) => study.note ?? []))];
  const numberOf = (note: string) => notes.indexOf(note) + 1;
  return {
    notes,
    footnotes: { numberOf, idOf: (note) => `risk-of-bias-${toolSlug(tool)}-note-${numberOf(note)}` },
  };
}

function studyHeader(study: StudyRiskOfBias, footnotes: Footnotes): string {
  const marker = study.note
    ? ` <sup><a href="#${footnotes.idOf(study.note)}" data-field="note-ref">${footnotes.numberOf(study.note)}</a></sup>`
    : '';
  return `<th scope="row">${h(study.study)}${marker}</th>`;
}

function rob1Row(study: Rob1StudyAssessment, footnotes: Footnotes): string {
  const cells = ROB1_TOOL.domains.map((domain) => {
    const given = study.domains[domain.id];
    return judgementCell(given?.judgement ?? NOT_ASSESSED, given ? { basis: given.basis } : {});
  });
  return `<tr>${studyHeader(study, footnotes)}${cells.join('')}${judgementCell(study.overall ?? NOT_ASSESSED)}</tr>`;
}

function rob2Row(study: Rob2StudyAssessment, footnotes: Footnotes): string {
  const cells = ROB2_TOOL.domains.map((domain) => judgementCell(study.domains[domain.id] ?? NOT_ASSESSED));
  return `<tr>${studyHeader(study, footnotes)}${cells.join('')}${judgementCell(study.overall ?? NOT_ASSESSED)}</tr>`;
}

function studiesTable(tool: RobTool, studies: readonly StudyRiskOfBias[]): string {
  const domains: RobDomain[] = tool === 'RoB 1' ? ROB1_TOOL.domains : ROB2_TOOL.domains;
  const head = domains
    .map(
      (domain) => `<th scope="col"><span class="rob-short">${h(domain.short)}</span> ${h(domain.label)}</th>`,
    )
    .join('');
  const { notes, footnotes } = footnotesOf(tool, studies);
  const rows = studies
    .map((study) => (study.tool === 'RoB 1' ? rob1Row(study, footnotes) : rob2Row(study, footnotes)))
    .join('');
  const caption =
    tool === 'RoB 1'
      ? 'Studies assessed with RoB 1: judgement per domain (open one for its basis, quoted from the source) and overall'
      : 'Studies assessed with RoB 2: judgement per domain and overall, summarised over the results the source rated';
  const noteList =
    notes.length > 0
      ? `\n<ol class="note rob-notes">${notes.map((note) => `<li id="${footnotes.idOf(note)}" data-field="note">${h(note)}</li>`).join('')}</ol>`
      : '';
  return `<div class="scroll" tabindex="0" role="region" aria-label="${h(tool)} judgements per study, scrolls sideways"><table id="risk-of-bias-${toolSlug(tool)}-studies" class="rob-studies" data-tool="${h(tool)}"><caption>${h(caption)}</caption>
<thead><tr><th scope="col">Study</th>${head}<th scope="col">Overall</th></tr></thead>
<tbody>${rows}</tbody></table></div>${noteList}`;
}

const OVERALL_RULES: Record<RobTool, string> = {
  'RoB 1':
    "Overall, as the published review judged it: low only when every domain is low; high or unclear by the key domains (the review's rule).",
  'RoB 2': 'Overall as the source gave it in RoB 2 (low, some concerns or high).',
};

function toolSection(shares: ToolShares, studies: readonly StudyRiskOfBias[]): string {
  const slug = toolSlug(shares.tool);
  return `<section id="risk-of-bias-${slug}" aria-labelledby="risk-of-bias-${slug}-heading">
<h3 id="risk-of-bias-${slug}-heading">${h(shares.tool)}: ${shares.studies} ${shares.studies === 1 ? 'study' : 'studies'}</h3>
<p class="note">${h(shares.name)}. ${h(OVERALL_RULES[shares.tool])}</p>
<figure>${renderRiskOfBiasChart(shares)}
<figcaption>Risk of bias graph, ${h(shares.tool)}: the share of studies given each judgement in each domain. Each study counts once (unweighted), as in RevMan's risk of bias graph, not by its size or its weight in a meta-analysis.</figcaption></figure>
${sharesTable(shares)}
${studiesTable(
  shares.tool,
  studies.filter((study) => study.tool === shares.tool),
)}
</section>`;
}

/** The page's risk-of-bias section: per tool used, the graph, its numbers and the studies' judgements. */
export function renderRiskOfBiasSection(rob: RiskOfBiasSummary): string {
  const tools = riskOfBiasShares(rob.studies);
  const body =
    tools.length > 0
      ? tools.map((shares) => toolSection(shares, rob.studies)).join('\n')
      : '<p>No included study has a risk-of-bias assessment yet.</p>';
  return `<section id="risk-of-bias" aria-labelledby="rob-heading">
<h2 id="rob-heading">Risk of bias</h2>
<p>Each study is shown with the tool it was assessed with, in that tool's own domains and words: RoB 1 (Cochrane 2011, seven domains) or RoB 2 (Cochrane 2019, five domains and an overall judgement). One tool's domains are never mapped onto the other's. A study rated with both is shown with the one the review's analyses use (RoB 1 for the 2021 review's trials, as they were assessed), and says so. Beside each forest plot, the risk of bias of exactly the studies it pools.</p>
${body}
</section>`;
}

function mark(domain: RobDomain, judgement: ShownJudgement): string {
  const words = JUDGEMENT_WORDS[judgement];
  return `<span class="rob-mark ${judgementClass(judgement)}" data-domain="${h(domain.short)}" data-judgement="${h(judgement)}" title="${h(`${domain.label}: ${words}`)}">${h(domain.short)}<span aria-hidden="true">${SYMBOLS[judgement]}</span><span class="visually-hidden"> ${h(words.toLowerCase())};</span></span>`;
}

/** What a compact row shows of one pooled study: RoB 2 of the pooled result where the source rated it. */
interface PlotStudyBias {
  label: string;
  tool: RobTool | null;
  /** "RoB 2, this result" when the judgements are the pooled result's own. */
  toolText: string;
  overall: ShownJudgement;
  marks: { domain: RobDomain; judgement: ShownJudgement }[];
}

function plotStudyBias(
  label: string,
  study: StudyRiskOfBias | undefined,
  result: ResultRiskOfBias | undefined,
): PlotStudyBias {
  if (!study) return { label, tool: null, toolText: 'None', overall: NOT_ASSESSED, marks: [] };
  if (study.tool === 'RoB 1') {
    return {
      label,
      tool: 'RoB 1',
      toolText: 'RoB 1',
      overall: study.overall ?? NOT_ASSESSED,
      marks: ROB1_TOOL.domains.map((domain) => ({
        domain,
        judgement: study.domains[domain.id]?.judgement ?? NOT_ASSESSED,
      })),
    };
  }
  const rated = result ?? study;
  return {
    label,
    tool: 'RoB 2',
    toolText: result ? 'RoB 2, this result' : 'RoB 2',
    overall: rated.overall ?? NOT_ASSESSED,
    marks: ROB2_TOOL.domains.map((domain) => ({
      domain,
      judgement: rated.domains[domain.id] ?? NOT_ASSESSED,
    })),
  };
}

function compactRow(row: PlotStudyBias): string {
  const marks = row.marks.map(({ domain, judgement }) => mark(domain, judgement)).join(' ');
  const tool = row.tool ? ` data-tool="${h(row.tool)}"` : '';
  return `<tr${tool}><th scope="row">${h(row.label)}</th><td data-field="tool">${h(row.toolText)}</td>${judgementCell(row.overall, { field: 'overall' })}<td data-field="domains">${marks}</td></tr>`;
}

const SYMBOL_WORDS: [ShownJudgement[], string][] = [
  [['low'], 'low risk'],
  [['unclear', 'some concerns'], ''],
  [['high'], 'high risk'],
  [['varies by result'], 'varies by result'],
  [[NOT_ASSESSED], 'not assessed'],
];

/** The legend of a compact table: the domains of the tools in it and the marks it uses, nothing more. */
function legendText(
  tools: ReadonlySet<RobTool>,
  shown: ReadonlySet<ShownJudgement>,
  anyResult: boolean,
): string {
  const domains = (domainList: readonly RobDomain[]) =>
    domainList.map((d) => `${d.short} ${d.label.charAt(0).toLowerCase()}${d.label.slice(1)}`).join(', ');
  const marks = SYMBOL_WORDS.flatMap(([judgements, words]) => {
    const used = judgements.filter((judgement) => shown.has(judgement));
    const [first] = used;
    if (!first) return [];
    const text = words || used.map((judgement) => JUDGEMENT_WORDS[judgement].toLowerCase()).join(' or ');
    return [`${SYMBOLS[first]} ${text}`];
  });
  return [
    ...(tools.has('RoB 1') ? [`RoB 1 domains: ${domains(ROB1_TOOL.domains)}.`] : []),
    ...(tools.has('RoB 2') ? [`RoB 2 domains: ${domains(ROB2_TOOL.domains)}.`] : []),
    ...(marks.length > 0 ? [`${marks.join('; ')}.`] : []),
    ...(anyResult ? ['"RoB 2, this result": rated for the result pooled in this plot.'] : []),
  ].join(' ');
}

/** Beside a forest plot: the tool, overall judgement and domain marks of exactly the studies it pools, in its order. */
export function renderPlotRiskOfBias(spec: ForestPlotSpec, rob: RiskOfBiasSummary): string {
  const byStudy = new Map(rob.studies.map((study) => [study.study, study]));
  const results = new Map(
    rob.results.filter((result) => result.forestPlotId === spec.id).map((result) => [result.study, result]),
  );
  const rows = spec.studies.map((study) =>
    plotStudyBias(study.label, byStudy.get(study.study), results.get(study.study)),
  );
  const tools = new Set(rows.flatMap((row) => row.tool ?? []));
  const shown = new Set(rows.flatMap((row) => [row.overall, ...row.marks.map((m) => m.judgement)]));
  const anyResult = rows.some((row) => row.toolText === 'RoB 2, this result');
  const id = `${safeId(spec.id)}-rob`;
  return `<div class="rob-plot scroll" tabindex="0" role="region" aria-label="Risk of bias of the studies in the ${h(spec.outcome)}, ${h(spec.timepoint.toLowerCase())} plot, scrolls sideways"><table id="${h(id)}" class="rob-compact"><caption>Risk of bias of the ${spec.studies.length} ${spec.studies.length === 1 ? 'study' : 'studies'} in this plot</caption>
<thead><tr><th scope="col">Study</th><th scope="col">Tool</th><th scope="col">Overall</th><th scope="col">Domains</th></tr></thead>
<tbody>${rows.map(compactRow).join('')}</tbody></table>
<p class="note rob-legend">${h(legendText(tools, shown, anyResult))}</p></div>`;
}
