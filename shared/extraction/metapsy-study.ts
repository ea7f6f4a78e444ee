import type { ProblemList } from './cells.ts';
import { type CharacteristicSpec, fromMetapsyCell } from './characteristics.ts';
import {
  type ControlType,
  citationParts,
  type DeliveryFormat,
  ROB2_DOMAINS,
  type Rob2Assessment,
  type Rob2Domain,
  type Rob2Rating,
  type Rob2StudyRating,
  type Study,
  studyIdFor,
} from './model.ts';
import { type ExtractionConfig, scopeOf } from './outcome-map.ts';
import type { TableRow } from './table.ts';

/** Study-level values one Metapsy row carries (every row of a study repeats them). */
export interface MetapsyStudyFields {
  id: string;
  label: string;
  year: number | null;
  country: string | null;
  format: DeliveryFormat | null;
  formatText: string | null;
  /** The review's declared characteristics, read through each one's Metapsy column mapping. */
  coded: Record<string, string | null>;
  /** The raw text of each mapped column, by column: every row of a study must agree on it. */
  codedText: Record<string, string | null>;
  comparator: ControlType | undefined;
  rob2: Rob2Assessment | null;
}

const ROB2_COLUMNS: Record<Rob2Domain, string> = {
  randomisationProcess: 'RoB_D1',
  deviationsFromIntendedInterventions: 'RoB_D2',
  missingOutcomeData: 'RoB_D3',
  measurementOfTheOutcome: 'RoB_D4',
  selectionOfTheReportedResult: 'RoB_D5',
};

/** Metapsy comparator codes (variable_description: cau, wl, pha, other) and common spellings of them. */
export function controlTypeOf(code: string): ControlType | undefined {
  const value = code.trim().toLowerCase();
  if (/^(cau|tau|usual care|care as usual|treatment as usual)$/.test(value)) return 'tau';
  if (/^(wl|wlc|waitlist|wait-list|waiting list)$/.test(value)) return 'wait-list';
  if (/^(pha|act|active)$/.test(value)) return 'active';
  if (/^(other|plac|placebo|pla)$/.test(value)) return 'other';
  return undefined;
}

function formatOf(text: string | null): DeliveryFormat | null {
  const value = text?.toLowerCase();
  if (value === 'group' || value === 'grp') return 'group';
  if (value === 'individual' || value === 'ind') return 'individual';
  if (value === 'mixed' || value === 'cmb' || value === 'combined') return 'mixed';
  return null;
}

function rob2RatingOf(
  text: string,
  row: TableRow,
  column: string,
  problems: ProblemList,
): Rob2Rating | undefined {
  const value = text.toLowerCase().replace(/\s+risk$/, '');
  if (value === 'low' || value === 'high' || value === 'some concerns') return value;
  problems.add(row.row, column, `"${text}" is not a RoB 2 rating (Low risk, Some concerns, High risk)`);
  return undefined;
}

function readRob2(row: TableRow, problems: ProblemList): Rob2Assessment | null {
  const texts = [...ROB2_DOMAINS.map((domain) => ROB2_COLUMNS[domain]), 'overall_RoB'].map((column) => ({
    column,
    text: row.text(column),
  }));
  if (texts.every(({ text }) => text === null)) return null;
  const ratings = texts.map(({ column, text }) =>
    text === null ? undefined : rob2RatingOf(text, row, column, problems),
  );
  if (ratings.some((rating) => rating === undefined)) {
    const missing = texts.filter(({ text }) => text === null).map(({ column }) => column);
    if (missing.length > 0)
      problems.add(row.row, missing.join(', '), 'RoB 2 rating given for some domains only');
    return null;
  }
  const [d1, d2, d3, d4, d5, overall] = ratings as Rob2Rating[];
  return {
    domains: {
      randomisationProcess: d1 as Rob2Rating,
      deviationsFromIntendedInterventions: d2 as Rob2Rating,
      missingOutcomeData: d3 as Rob2Rating,
      measurementOfTheOutcome: d4 as Rob2Rating,
      selectionOfTheReportedResult: d5 as Rob2Rating,
    },
    overall: overall as Rob2Rating,
  };
}

export function readMetapsyStudyFields(
  row: TableRow,
  characteristics: readonly CharacteristicSpec[],
  problems: ProblemList,
): MetapsyStudyFields {
  const raw = row.text('study') ?? '';
  const label = raw.replace(/,\s*/g, ' ').replace(/\s+/g, ' ').trim();
  const year =
    row.number('year', { integer: true, min: 1900 }) ?? Number(label.match(/\b(\d{4})[a-z]?$/)?.[1]);
  const coded: Record<string, string | null> = {};
  const codedText: Record<string, string | null> = {};
  for (const spec of characteristics) {
    if (!spec.metapsy) {
      coded[spec.id] = null;
      continue;
    }
    const text = row.text(spec.metapsy.column);
    codedText[spec.metapsy.column] = text;
    coded[spec.id] = fromMetapsyCell(spec.metapsy, text);
  }
  return {
    id: studyIdFor(label),
    label,
    year: year ?? null,
    country: row.text('country'),
    format: formatOf(row.text('format')),
    formatText: row.text('format'),
    coded,
    codedText,
    comparator: controlTypeOf(row.text('condition_arm2') ?? ''),
    rob2: readRob2(row, problems),
  };
}

const STUDY_LEVEL = ['label', 'year', 'country', 'formatText'] as const;
const COLUMN_OF: Partial<Record<keyof MetapsyStudyFields, string>> = {
  label: 'study',
  formatText: 'format',
};

/** RoB 2 rates results, so domains may differ between a study's rows; the summary says so instead of choosing. */
function summariseRob2(assessments: (Rob2Assessment | null)[]): Rob2Assessment<Rob2StudyRating> | null {
  const rated = assessments.filter((assessment): assessment is Rob2Assessment => assessment !== null);
  const [first] = rated;
  if (!first) return null;
  const agree = (pick: (a: Rob2Assessment) => Rob2Rating): Rob2StudyRating =>
    rated.every((a) => pick(a) === pick(first)) ? pick(first) : 'varies by result';
  const domains = Object.fromEntries(ROB2_DOMAINS.map((domain) => [domain, agree((a) => a.domains[domain])]));
  return { domains: domains as Record<Rob2Domain, Rob2StudyRating>, overall: agree((a) => a.overall) };
}

export function buildMetapsyStudies(
  rows: { row: TableRow; fields: MetapsyStudyFields }[],
  options: { document: string; config: ExtractionConfig },
  problems: ProblemList,
  warnings: string[],
): Study[] {
  const byStudy = new Map<string, { row: TableRow; fields: MetapsyStudyFields }[]>();
  for (const entry of rows) byStudy.set(entry.fields.id, [...(byStudy.get(entry.fields.id) ?? []), entry]);

  return [...byStudy.values()].map((entries) => {
    const [first, ...rest] = entries as [(typeof entries)[number], ...typeof entries];
    for (const { row, fields } of rest) {
      for (const key of STUDY_LEVEL) {
        if (fields[key] !== first.fields[key]) {
          problems.add(
            row.row,
            COLUMN_OF[key] ?? key,
            `"${fields[key]}" differs from "${first.fields[key]}" in row ${first.row.row} of the same study`,
          );
        }
      }
      for (const [column, text] of Object.entries(fields.codedText)) {
        const firstText = first.fields.codedText[column];
        if (text !== firstText) {
          problems.add(
            row.row,
            column,
            `"${text}" differs from "${firstText}" in row ${first.row.row} of the same study`,
          );
        }
      }
    }
    const { fields } = first;
    if (fields.format === null && fields.formatText !== null) {
      warnings.push(`${fields.label}: format "${fields.formatText}" is not group, individual or mixed`);
    }
    const scope = scopeOf(options.config.scope, fields.format);
    const comparators = [...new Set(entries.map((entry) => entry.fields.comparator ?? 'other'))];
    return {
      id: fields.id,
      label: fields.label,
      authors: [citationParts(fields.label).author],
      year: fields.year,
      characteristics: {
        coded: { ...fields.coded },
        comparators,
        country: fields.country,
        nRandomised: null,
        format: fields.format,
      },
      inScope: scope.inScope,
      scopeReason: scope.reason,
      riskOfBias: {
        rob1: null,
        rob1Overall: null,
        rob2: summariseRob2(entries.map((entry) => entry.fields.rob2)),
      },
      provenance: { source: 'metapsy', document: options.document, row: first.row.row },
    } satisfies Study;
  });
}
