/**
 * PRISMA 2020 counts and flow diagram for an updated review: the previous version (the published review) in
 * its own column, the flow of records found by the updates since, and the total included.
 */
import { formatCount, formatDate } from './format.ts';
import type { PrismaCounts, PrismaCycle, PrismaFlow } from './model.ts';
import { coord, svgOpen, svgText, wrap } from './svg.ts';

function mergeByKey<T extends { n: number }>(
  lists: T[][],
  keyOf: (item: T) => string,
  make: (key: string, n: number) => T,
) {
  const totals = new Map<string, number>();
  for (const item of lists.flat()) totals.set(keyOf(item), (totals.get(keyOf(item)) ?? 0) + item.n);
  return [...totals].map(([key, n]) => make(key, n));
}

/** Adds flows up: counts summed (a count no flow has stays absent), sources and reasons merged by name. */
function sumFlows(flows: PrismaFlow[]): PrismaFlow {
  const total = (pick: (flow: PrismaFlow) => number) => flows.reduce((sum, flow) => sum + pick(flow), 0);
  const optional = (pick: (flow: PrismaFlow) => number | undefined) =>
    flows.some((flow) => pick(flow) !== undefined) ? total((flow) => pick(flow) ?? 0) : undefined;
  const awaitingScreening = optional((flow) => flow.awaitingScreening);
  // A published review's counts have no separate "sought": every report it sought, it assessed.
  const reportsSought = optional((flow) => flow.reportsSought ?? flow.fullTextsAssessed);
  const awaitingFullText = optional((flow) => flow.awaitingFullText);
  return {
    identified: mergeByKey(
      flows.map((flow) => flow.identified),
      (item) => item.source,
      (source, n) => ({ source, n }),
    ),
    duplicatesRemoved: total((flow) => flow.duplicatesRemoved),
    screened: total((flow) => flow.screened),
    excludedAtScreening: total((flow) => flow.excludedAtScreening),
    ...(awaitingScreening === undefined ? {} : { awaitingScreening }),
    ...(reportsSought === undefined ? {} : { reportsSought }),
    ...(awaitingFullText === undefined ? {} : { awaitingFullText }),
    fullTextsAssessed: total((flow) => flow.fullTextsAssessed),
    excludedAtFullText: total((flow) => flow.excludedAtFullText),
    fullTextExclusionReasons: mergeByKey(
      flows.map((flow) => flow.fullTextExclusionReasons),
      (item) => item.reason,
      (reason, n) => ({ reason, n }),
    ),
    studiesIncluded: total((flow) => flow.studiesIncluded),
    reportsIncluded: total((flow) => flow.reportsIncluded),
  };
}

/** Adds cycles up, each route on its own. */
export function sumCycles(cycles: PrismaCycle[], label: string): PrismaCycle {
  const other = cycles.flatMap((cycle) => (cycle.otherMethods ? [cycle.otherMethods] : []));
  return {
    label,
    searchedUntil:
      cycles
        .map((cycle) => cycle.searchedUntil)
        .sort()
        .at(-1) ?? '',
    ...sumFlows(cycles),
    ...(other.length > 0 ? { otherMethods: sumFlows(other) } : {}),
  };
}

export function identifiedTotal(flow: PrismaFlow): number {
  return flow.identified.reduce((sum, item) => sum + item.n, 0);
}

/** Studies a cycle included, by either route. */
export function studiesIncludedIn(cycle: PrismaCycle): number {
  return cycle.studiesIncluded + (cycle.otherMethods?.studiesIncluded ?? 0);
}

/** Rows of the PRISMA counts table: the baseline, every update, and the cumulative total. */
export function prismaRows(counts: PrismaCounts): PrismaCycle[] {
  return [counts.baseline, ...counts.updates, sumCycles([counts.baseline, ...counts.updates], 'Cumulative')];
}

/** Non-breaking spaces keep "(n = 12)" on one line when a box wraps. */
const n = (value: number) => `(n\u00a0=\u00a0${formatCount(value)})`;

interface Box {
  x: number;
  width: number;
  lines: string[];
  className?: string;
}

const LINE = 16;
const PAD = 10;
const GAP = 26;
const CHAR_WIDTH = 6.2;
const SIDE = { x: 4, width: 24 };
const COLUMN_A = { x: 36, width: 200 };
const COLUMN_B = { x: 254, width: 290 };
const COLUMN_C = { x: 570, width: 230 };
const COLUMN_D = { x: 826, width: 260 };
const COLUMN_E = { x: 1112, width: 230 };
const WIDTH_WITH_OTHER = COLUMN_E.x + COLUMN_E.width + 10;

function box(column: Column, texts: string[], className?: string): Box {
  const max = Math.floor((column.width - 2 * PAD) / CHAR_WIDTH);
  return { ...column, lines: texts.flatMap((text) => wrap(text, max)), ...(className ? { className } : {}) };
}

const boxHeight = (b: Box) => b.lines.length * LINE + 2 * PAD - 4;

function drawBox(b: Box, y: number, height: number): string {
  const text = b.lines.map((line, index) => svgText(b.x + PAD, y + PAD + 8 + index * LINE, line)).join('');
  return `<g class="box${b.className ? ` ${b.className}` : ''}"><rect x="${b.x}" y="${coord(y)}" width="${b.width}" height="${coord(height)}" rx="3"/>${text}</g>`;
}

/** An arrow from (x1, y1) to (x2, y2), horizontal or vertical; a horizontal one points right unless told left. */
function drawArrow(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  towards: 'right' | 'left' = 'right',
): string {
  const horizontal = y1 === y2;
  const back = towards === 'left' ? -7 : 7;
  const tip = horizontal
    ? `${coord(x2)},${coord(y2)} ${coord(x2 - back)},${coord(y2 - 4)} ${coord(x2 - back)},${coord(y2 + 4)}`
    : `${coord(x2)},${coord(y2)} ${coord(x2 - 4)},${coord(y2 - 7)} ${coord(x2 + 4)},${coord(y2 - 7)}`;
  const endX = horizontal ? x2 - back : x2;
  const endY = horizontal ? y2 : y2 - 7;
  return `<line class="flow" x1="${coord(x1)}" y1="${coord(y1)}" x2="${coord(endX)}" y2="${coord(endY)}"/><polygon class="flow" points="${tip}"/>`;
}

function exclusionLines(flow: PrismaFlow): string[] {
  const itemised = flow.fullTextExclusionReasons.reduce((sum, item) => sum + item.n, 0);
  const lines = flow.fullTextExclusionReasons.map((item) => `${item.reason} ${n(item.n)}`);
  if (flow.excludedAtFullText > itemised)
    lines.push(`Reason not itemised ${n(flow.excludedAtFullText - itemised)}`);
  return lines;
}

export function prismaDescription(counts: PrismaCounts): string {
  const updates = sumCycles(counts.updates, 'Updates');
  const other = updates.otherMethods;
  const newStudies = studiesIncludedIn(updates);
  return (
    `${counts.baseline.label} screened ${formatCount(counts.baseline.screened)} records and included ` +
    `${formatCount(counts.baseline.studiesIncluded)} studies. ${counts.updates.length} update cycle(s) since identified ` +
    `${formatCount(identifiedTotal(updates))} records from databases and registers` +
    (other ? ` and ${formatCount(identifiedTotal(other))} through other methods` : '') +
    `, screened ${formatCount(updates.screened + (other?.screened ?? 0))} (${formatCount((updates.awaitingScreening ?? 0) + (other?.awaitingScreening ?? 0))} await screening), assessed ` +
    `${formatCount(updates.fullTextsAssessed + (other?.fullTextsAssessed ?? 0))} full texts and included ${formatCount(newStudies)} new studies; ` +
    `${formatCount(counts.baseline.studiesIncluded + newStudies)} studies in total.`
  );
}

/** The boxes of one route's flow, top to bottom: [main column box, exclusion column box]. */
function flowBoxes(flow: PrismaFlow, main: Column, side: Column, heading: string): (Box | null)[][] {
  return [
    [
      box(main, [heading, ...flow.identified.map((item) => `${item.source} ${n(item.n)}`)]),
      box(side, ['Records removed before screening:', `Duplicate records ${n(flow.duplicatesRemoved)}`]),
    ],
    [
      box(main, [`Records screened ${n(flow.screened)}`]),
      box(side, [
        `Records excluded ${n(flow.excludedAtScreening)}`,
        ...(flow.awaitingScreening === undefined
          ? []
          : [`Records awaiting screening ${n(flow.awaitingScreening)}`]),
      ]),
    ],
    [
      box(main, [`Reports sought for retrieval ${n(flow.reportsSought ?? flow.fullTextsAssessed)}`]),
      box(side, [`Reports not yet retrieved or assessed ${n(flow.awaitingFullText ?? 0)}`]),
    ],
    [
      box(main, [`Reports assessed for eligibility ${n(flow.fullTextsAssessed)}`]),
      box(side, [
        `Reports excluded ${n(flow.excludedAtFullText)}${flow.excludedAtFullText > 0 ? ':' : ''}`,
        ...exclusionLines(flow),
      ]),
    ],
  ];
}

interface Column {
  x: number;
  width: number;
}

const SIDE_LABELS: [string, number, number][] = [
  ['Identification', 0, 0],
  ['Screening', 1, 3],
  ['Included', 4, 5],
];

export function renderPrismaDiagram(counts: PrismaCounts, id = 'prisma-flow'): string {
  const { baseline } = counts;
  const updates = sumCycles(counts.updates, 'Updates');
  const other = updates.otherMethods;
  const databases = flowBoxes(updates, COLUMN_B, COLUMN_C, 'Records identified from:');
  const others = other ? flowBoxes(other, COLUMN_D, COLUMN_E, 'Records identified from other methods:') : [];
  const previous = box(
    COLUMN_A,
    [
      `${baseline.label} (searched to ${formatDate(baseline.searchedUntil)})`,
      `Records identified ${n(identifiedTotal(baseline))}`,
      `Records screened ${n(baseline.screened)}`,
      `Full texts assessed ${n(baseline.fullTextsAssessed)}`,
      `Full texts excluded ${n(baseline.excludedAtFullText)}`,
      `Studies included ${n(baseline.studiesIncluded)}`,
      `Included reports ${n(baseline.reportsIncluded)}`,
    ],
    'previous',
  );
  const newStudies = box(COLUMN_B, [
    `New studies included ${n(studiesIncludedIn(updates))}`,
    `Reports of new included studies ${n(updates.reportsIncluded + (other?.reportsIncluded ?? 0))}`,
  ]);
  const total = box(
    { x: COLUMN_A.x, width: COLUMN_B.x + COLUMN_B.width - COLUMN_A.x },
    [
      `Total studies included in review ${n(baseline.studiesIncluded + studiesIncludedIn(updates))}`,
      `Reports of total included studies ${n(baseline.reportsIncluded + updates.reportsIncluded + (other?.reportsIncluded ?? 0))}`,
    ],
    'total',
  );
  const rows: (Box | null)[][] = databases.map((row, i) => [...row, ...(others[i] ?? [])]);
  rows.push([newStudies], [total]);

  const width = other ? WIDTH_WITH_OTHER : COLUMN_C.x + COLUMN_C.width + 10;
  const parts: string[] = [
    svgText(COLUMN_A.x, 18, 'Previous version of the review', { className: 'head' }),
    svgText(COLUMN_B.x, 18, 'New studies via databases and registers', { className: 'head' }),
    ...(other ? [svgText(COLUMN_D.x, 18, 'New studies via other methods', { className: 'head' })] : []),
  ];
  const heights = rows.map((row) => Math.max(...row.filter((b): b is Box => b !== null).map(boxHeight)));
  // A side label is written along its rows: the last row it spans grows until the label fits.
  for (const [label, first, last] of SIDE_LABELS) {
    const spanned = heights.slice(first, last + 1).reduce((sum, h) => sum + h, 0) + (last - first) * GAP;
    const needed = label.length * CHAR_WIDTH + 2 * PAD;
    if (spanned < needed) heights[last] = (heights[last] ?? 0) + needed - spanned;
  }
  let y = 30;
  const tops: number[] = [];
  rows.forEach((row, index) => {
    const height = heights[index] ?? 0;
    tops.push(y);
    for (const b of row) if (b) parts.push(drawBox(b, y, height));
    y += height + GAP;
  });
  parts.push(drawBox(previous, tops[0] ?? 30, boxHeight(previous)));
  // Down each route's flow, and across to its exclusions.
  const flowArrows = (main: Column, side: Column, last: number) => {
    const centre = main.x + main.width / 2;
    for (let row = 0; row <= last; row++) {
      const top = tops[row] ?? 0;
      const height = heights[row] ?? 0;
      parts.push(drawArrow(main.x + main.width, top + height / 2, side.x, top + height / 2));
      if (row < last) parts.push(drawArrow(centre, top + height, centre, tops[row + 1] ?? 0));
    }
  };
  flowArrows(COLUMN_B, COLUMN_C, 3);
  const centreB = COLUMN_B.x + COLUMN_B.width / 2;
  parts.push(drawArrow(centreB, (tops[3] ?? 0) + (heights[3] ?? 0), centreB, tops[4] ?? 0));
  parts.push(drawArrow(centreB, (tops[4] ?? 0) + (heights[4] ?? 0), centreB, tops[5] ?? 0));
  const centreA = COLUMN_A.x + COLUMN_A.width / 2;
  parts.push(drawArrow(centreA, (tops[0] ?? 0) + boxHeight(previous), centreA, tops[5] ?? 0));
  if (other) {
    flowArrows(COLUMN_D, COLUMN_E, 3);
    // Other methods' included reports join the new studies included.
    const centreD = COLUMN_D.x + COLUMN_D.width / 2;
    const joinY = (tops[4] ?? 0) + (heights[4] ?? 0) / 2;
    parts.push(
      `<line class="flow" x1="${coord(centreD)}" y1="${coord((tops[3] ?? 0) + (heights[3] ?? 0))}" x2="${coord(centreD)}" y2="${coord(joinY)}"/>`,
      drawArrow(centreD, joinY, COLUMN_B.x + COLUMN_B.width, joinY, 'left'),
    );
  }
  for (const [label, first, last] of SIDE_LABELS) {
    const top = tops[first] ?? 0;
    const bottom = (tops[last] ?? 0) + (heights[last] ?? 0);
    parts.push(
      `<g class="side-label"><rect x="${coord(SIDE.x)}" y="${coord(top)}" width="${SIDE.width}" height="${coord(bottom - top)}" rx="3"/><g transform="translate(${coord(SIDE.x + SIDE.width / 2 + 4)},${coord((top + bottom) / 2)}) rotate(-90)">${svgText(0, 0, label, { anchor: 'middle' })}</g></g>`,
    );
  }
  const height = y - GAP + 10;
  return `${svgOpen(id, 'prisma', width, height, 'PRISMA 2020 flow diagram', prismaDescription(counts))}${parts.join('')}</svg>`;
}
