/**
 * PRISMA 2020 counts and flow diagram for an updated review: the previous version (the 2021 review) in
 * its own column, the flow of records found by the updates since, and the total included.
 */
import { formatCount, formatDate } from './format.ts';
import type { PrismaCounts, PrismaCycle } from './model.ts';
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

/** Adds cycles up: counts summed, sources and reasons merged by name in first-seen order. */
export function sumCycles(cycles: PrismaCycle[], label: string): PrismaCycle {
  const total = (pick: (cycle: PrismaCycle) => number) => cycles.reduce((sum, cycle) => sum + pick(cycle), 0);
  return {
    label,
    searchedUntil:
      cycles
        .map((cycle) => cycle.searchedUntil)
        .sort()
        .at(-1) ?? '',
    identified: mergeByKey(
      cycles.map((cycle) => cycle.identified),
      (item) => item.source,
      (source, n) => ({ source, n }),
    ),
    duplicatesRemoved: total((cycle) => cycle.duplicatesRemoved),
    screened: total((cycle) => cycle.screened),
    excludedAtScreening: total((cycle) => cycle.excludedAtScreening),
    fullTextsAssessed: total((cycle) => cycle.fullTextsAssessed),
    excludedAtFullText: total((cycle) => cycle.excludedAtFullText),
    fullTextExclusionReasons: mergeByKey(
      cycles.map((cycle) => cycle.fullTextExclusionReasons),
      (item) => item.reason,
      (reason, n) => ({ reason, n }),
    ),
    studiesIncluded: total((cycle) => cycle.studiesIncluded),
    reportsIncluded: total((cycle) => cycle.reportsIncluded),
  };
}

export function identifiedTotal(cycle: PrismaCycle): number {
  return cycle.identified.reduce((sum, item) => sum + item.n, 0);
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
const WIDTH = 820;
const COLUMN_A = { x: 10, width: 220 };
const COLUMN_B = { x: 250, width: 290 };
const COLUMN_C = { x: 570, width: 240 };

function box(column: { x: number; width: number }, texts: string[], className?: string): Box {
  const max = Math.floor((column.width - 2 * PAD) / CHAR_WIDTH);
  return { ...column, lines: texts.flatMap((text) => wrap(text, max)), ...(className ? { className } : {}) };
}

const boxHeight = (b: Box) => b.lines.length * LINE + 2 * PAD - 4;

function drawBox(b: Box, y: number, height: number): string {
  const text = b.lines.map((line, index) => svgText(b.x + PAD, y + PAD + 8 + index * LINE, line)).join('');
  return `<g class="box${b.className ? ` ${b.className}` : ''}"><rect x="${b.x}" y="${coord(y)}" width="${b.width}" height="${coord(height)}" rx="3"/>${text}</g>`;
}

function drawArrow(x1: number, y1: number, x2: number, y2: number): string {
  const horizontal = y1 === y2;
  const tip = horizontal
    ? `${coord(x2)},${coord(y2)} ${coord(x2 - 7)},${coord(y2 - 4)} ${coord(x2 - 7)},${coord(y2 + 4)}`
    : `${coord(x2)},${coord(y2)} ${coord(x2 - 4)},${coord(y2 - 7)} ${coord(x2 + 4)},${coord(y2 - 7)}`;
  const endX = horizontal ? x2 - 7 : x2;
  const endY = horizontal ? y2 : y2 - 7;
  return `<line class="flow" x1="${coord(x1)}" y1="${coord(y1)}" x2="${coord(endX)}" y2="${coord(endY)}"/><polygon class="flow" points="${tip}"/>`;
}

function exclusionLines(cycle: PrismaCycle): string[] {
  const itemised = cycle.fullTextExclusionReasons.reduce((sum, item) => sum + item.n, 0);
  const lines = cycle.fullTextExclusionReasons.map((item) => `${item.reason} ${n(item.n)}`);
  if (cycle.excludedAtFullText > itemised)
    lines.push(`Reason not itemised ${n(cycle.excludedAtFullText - itemised)}`);
  return lines;
}

export function prismaDescription(counts: PrismaCounts): string {
  const updates = sumCycles(counts.updates, 'Updates');
  const total = counts.baseline.studiesIncluded + updates.studiesIncluded;
  return (
    `The 2021 review screened ${formatCount(counts.baseline.screened)} records and included ` +
    `${formatCount(counts.baseline.studiesIncluded)} studies. ${counts.updates.length} update cycle(s) since identified ` +
    `${formatCount(identifiedTotal(updates))} records, screened ${formatCount(updates.screened)}, assessed ` +
    `${formatCount(updates.fullTextsAssessed)} full texts and included ${formatCount(updates.studiesIncluded)} new studies; ` +
    `${formatCount(total)} studies in total.`
  );
}

export function renderPrismaDiagram(counts: PrismaCounts, id = 'prisma-flow'): string {
  const { baseline } = counts;
  const updates = sumCycles(counts.updates, 'Updates');
  const rows: Box[][] = [
    [
      box(
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
      ),
      box(COLUMN_B, [
        'Records identified from:',
        ...updates.identified.map((item) => `${item.source} ${n(item.n)}`),
      ]),
      box(COLUMN_C, [
        'Records removed before screening:',
        `Duplicate records ${n(updates.duplicatesRemoved)}`,
      ]),
    ],
    [
      box(COLUMN_B, [`Records screened ${n(updates.screened)}`]),
      box(COLUMN_C, [`Records excluded ${n(updates.excludedAtScreening)}`]),
    ],
    [
      box(COLUMN_B, [`Reports assessed for eligibility ${n(updates.fullTextsAssessed)}`]),
      box(COLUMN_C, [`Reports excluded ${n(updates.excludedAtFullText)}:`, ...exclusionLines(updates)]),
    ],
    [
      box(COLUMN_B, [
        `New studies included ${n(updates.studiesIncluded)}`,
        `Reports of new included studies ${n(updates.reportsIncluded)}`,
      ]),
    ],
    [
      box(
        { x: COLUMN_A.x, width: COLUMN_B.x + COLUMN_B.width - COLUMN_A.x },
        [
          `Total studies included in review ${n(baseline.studiesIncluded + updates.studiesIncluded)}`,
          `Reports of total included studies ${n(baseline.reportsIncluded + updates.reportsIncluded)}`,
        ],
        'total',
      ),
    ],
  ];
  const parts: string[] = [
    svgText(COLUMN_A.x, 18, 'Previous version of the review', { className: 'head' }),
    svgText(COLUMN_B.x, 18, 'New studies via databases and registers (updates)', { className: 'head' }),
  ];
  let y = 30;
  const placed: { y: number; height: number }[][] = [];
  rows.forEach((row, rowIndex) => {
    // The previous-version box stands beside the first three rows of the flow, so it sets no row height.
    const heights = row.filter((b) => b.className !== 'previous').map(boxHeight);
    const height = Math.max(...heights);
    placed.push(row.map((b) => ({ y, height: b.className === 'previous' ? boxHeight(b) : height })));
    row.forEach((b, index) => {
      const place = placed[rowIndex]?.[index];
      if (place) parts.push(drawBox(b, place.y, place.height));
    });
    y += height + GAP;
  });
  const centreB = COLUMN_B.x + COLUMN_B.width / 2;
  for (let rowIndex = 0; rowIndex < 3; rowIndex++) {
    const bPlace = placed[rowIndex]?.[rowIndex === 0 ? 1 : 0];
    const next = placed[rowIndex + 1]?.[0];
    if (!bPlace || !next) continue;
    const midY = bPlace.y + bPlace.height / 2;
    parts.push(drawArrow(COLUMN_B.x + COLUMN_B.width, midY, COLUMN_C.x, midY));
    parts.push(drawArrow(centreB, bPlace.y + bPlace.height, centreB, next.y));
  }
  const newIncluded = placed[3]?.[0];
  const total = placed[4]?.[0];
  const previous = placed[0]?.[0];
  if (newIncluded && total && previous) {
    parts.push(drawArrow(centreB, newIncluded.y + newIncluded.height, centreB, total.y));
    const centreA = COLUMN_A.x + COLUMN_A.width / 2;
    parts.push(drawArrow(centreA, previous.y + previous.height, centreA, total.y));
  }
  const height = y - GAP + 10;
  return `${svgOpen(id, 'prisma', WIDTH, height, 'PRISMA 2020 flow diagram', prismaDescription(counts))}${parts.join('')}</svg>`;
}
