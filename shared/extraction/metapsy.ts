import { ProblemList, repairDoubleDecoded } from './cells.ts';
import {
  buildMetapsyStudies,
  controlTypeOf,
  type MetapsyStudyFields,
  readMetapsyStudyFields,
} from './metapsy-study.ts';
import {
  type ArmOutcomeRow,
  type EffectOutcomeRow,
  type ExtractionBatch,
  NOT_USABLE_PREFIX,
  type OutcomeRow,
  type Provenance,
  type SetAsideOutcomeRow,
} from './model.ts';
import { type ExtractionConfig, mapSourceOutcome } from './outcome-map.ts';
import { dedupeRows, rowId } from './rows.ts';
import { readTable, type TableRow } from './table.ts';
import { classifyTimepoint, durationInWeeks, implausiblePostWeeks } from './timepoint.ts';

/**
 * Reader for the Metapsy data standard (docs.metapsy.org; variable meanings in the database's
 * variable_description.json): semicolons, decimal commas, R's bare NA, an unnamed row-index first column,
 * one row per comparison of arm 1 (the intervention) with arm 2 (the comparator).
 */
const REQUIRED = [
  'study',
  'condition_arm1',
  'condition_arm2',
  'instrument',
  'time',
  'mean_arm1',
  'sd_arm1',
  'n_arm1',
  'mean_arm2',
  'sd_arm2',
  'n_arm2',
] as const;

const ARM_COLUMNS = ['mean_arm1', 'sd_arm1', 'n_arm1', 'mean_arm2', 'sd_arm2', 'n_arm2'] as const;
const CHANGE_COLUMNS = [
  'mean_change_arm1',
  'mean_change_arm2',
  'sd_change_arm1',
  'sd_change_arm2',
  'n_change_arm1',
  'n_change_arm2',
] as const;
const EVENT_COLUMNS = ['event_arm1', 'event_arm2', 'totaln_arm1', 'totaln_arm2'] as const;
const PRECALC_COLUMNS = ['precalc_g', 'precalc_g_se', 'precalc_log_rr', 'precalc_log_rr_se'] as const;
const EFFECT_COLUMNS = ['.g', '.g_se'] as const;

const KNOWN = [
  ...CHANGE_COLUMNS,
  ...EVENT_COLUMNS,
  ...PRECALC_COLUMNS,
  ...EFFECT_COLUMNS,
  'outcome_category',
  'outcome_subcategory',
  'outcome_type',
  'multi_arm1',
  'multi_arm2',
  'time_weeks',
  'dich',
  'year',
  'country',
  'format',
  'structure_intervention',
  'disorder',
  'duration_int',
  'RoB_D1',
  'RoB_D2',
  'RoB_D3',
  'RoB_D4',
  'RoB_D5',
  'overall_RoB',
  '.id',
];

type NumericColumn =
  | (typeof ARM_COLUMNS)[number]
  | (typeof CHANGE_COLUMNS)[number]
  | (typeof EVENT_COLUMNS)[number]
  | (typeof PRECALC_COLUMNS)[number]
  | (typeof EFFECT_COLUMNS)[number];

const positive = { above: 0 };
const sampleSize = { integer: true, min: 2 };
const count = { integer: true, min: 0 };
const NUMBER_RULES: Record<NumericColumn, { above?: number; integer?: boolean; min?: number }> = {
  mean_arm1: {},
  mean_arm2: {},
  sd_arm1: positive,
  sd_arm2: positive,
  n_arm1: sampleSize,
  n_arm2: sampleSize,
  mean_change_arm1: {},
  mean_change_arm2: {},
  sd_change_arm1: positive,
  sd_change_arm2: positive,
  n_change_arm1: sampleSize,
  n_change_arm2: sampleSize,
  event_arm1: count,
  event_arm2: count,
  totaln_arm1: { integer: true, min: 1 },
  totaln_arm2: { integer: true, min: 1 },
  precalc_g: {},
  precalc_g_se: positive,
  precalc_log_rr: {},
  precalc_log_rr_se: positive,
  '.g': {},
  '.g_se': positive,
};

export interface ReadOptions {
  document: string;
  config: ExtractionConfig;
}

interface RowValues {
  numbers: Partial<Record<NumericColumn, number>>;
  weeks: number | null;
  study: MetapsyStudyFields;
}

export function readMetapsy(text: string, options: ReadOptions): ExtractionBatch {
  const problems = new ProblemList();
  const table = readTable(
    text,
    {
      document: options.document,
      delimiter: ';',
      required: REQUIRED,
      known: [...KNOWN, 'rating', ...unusedStandardColumns],
      missing: ['NA'],
      decimalComma: true,
      cleanText: repairDoubleDecoded,
    },
    problems,
  );
  const warnings: string[] = [];
  const parsed = table.rows.map((row) => ({ row, values: readValues(row) }));
  problems.throwIfAny(options.document);

  const studyFields = parsed.map(({ row, values }) => ({ row, fields: values.study }));
  const studies = buildMetapsyStudies(studyFields, options, problems, warnings);
  const rows = parsed.flatMap(({ row, values }) => resultRows(row, values, options, warnings));
  warnAboutWeeks(parsed, warnings);
  const unique = dedupeRows(rows, problems);
  problems.throwIfAny(options.document);
  return { studies, rows: unique, warnings, ignoredColumns: table.ignoredColumns };

  function readValues(row: TableRow): RowValues {
    const numbers: RowValues['numbers'] = {};
    for (const [column, rules] of Object.entries(NUMBER_RULES) as [NumericColumn, object][]) {
      const value = row.number(column, rules);
      if (typeof value === 'number') numbers[column] = value;
    }
    for (const arm of ['1', '2'] as const) {
      const events = numbers[`event_arm${arm}`];
      const total = numbers[`totaln_arm${arm}`];
      if (events !== undefined && total !== undefined && events > total) {
        problems.add(row.row, `event_arm${arm}`, `${events} events exceed totaln_arm${arm} ${total}`);
      }
    }
    if (row.text('study') === null) problems.add(row.row, 'study', 'no study label');
    if (row.text('instrument') === null) problems.add(row.row, 'instrument', 'no instrument');
    if (row.text('condition_arm2') === null) problems.add(row.row, 'condition_arm2', 'no comparator');
    const weeks = row.number('time_weeks', { min: 0 }) ?? null;
    return { numbers, weeks, study: readMetapsyStudyFields(row, options.config.characteristics, problems) };
  }
}

/**
 * Standard columns this reader does not use: baseline values (text in the standard; "NR" appears) and
 * population details the extraction model has no field for. Columns outside the standard are reported as ignored.
 */
const unusedStandardColumns = [
  'baseline_m_arm1',
  'baseline_sd_arm1',
  'baseline_n_arm1',
  'baseline_m_arm2',
  'baseline_mean_arm2',
  'baseline_sd_arm2',
  'baseline_n_arm2',
  'specific_group',
  'perinatal',
  'diagnosis_inclusion',
  'recruitment',
  'in_out_patients',
  'percent_women',
  'mean_age',
  'delivery',
  'delivery2',
];

function armLabel(condition: string, multi: string | null): string {
  return multi ? `${condition} (${multi})` : condition;
}

function resultRows(
  row: TableRow,
  values: RowValues,
  options: ReadOptions,
  warnings: string[],
): OutcomeRow[] {
  const { numbers } = values;
  const studyLabel = values.study.label;
  const instrument = row.text('instrument') ?? '';
  const subcategory = row.text('outcome_subcategory') ?? '';
  const category = row.text('outcome_category');
  const time = row.text('time') ?? '';
  const intervention = armLabel(row.text('condition_arm1') ?? 'intervention', row.text('multi_arm1'));
  const comparatorCode = row.text('condition_arm2') ?? '';
  const control = armLabel(comparatorCode, row.text('multi_arm2'));
  const controlType = controlTypeOf(comparatorCode);
  if (!controlType) {
    warnings.push(
      `row ${row.row} (${studyLabel}): comparator "${comparatorCode}" is not a known code; stored as "other"`,
    );
  }
  const mapped = mapSourceOutcome(options.config.outcomeMap, { category, subcategory, instrument });
  const timepoint = classifyTimepoint(time, values.weeks, durationInWeeks(row.text('duration_int')));
  const provenance: Provenance = { source: 'metapsy', document: options.document, row: row.row };
  const base = {
    studyId: values.study.id,
    sourceOutcome: [category, subcategory].filter(Boolean).join(' / '),
    instrument,
    time,
    weeks: values.weeks,
    rob2: values.study.rob2,
    provenance,
  };

  const notUsable: string[] = [];
  if (!mapped) notUsable.push(`outcome "${subcategory}" (${instrument}) is not mapped to a review outcome`);
  if (timepoint.timepoint === null) notUsable.push(timepoint.why);
  const missingArm = ARM_COLUMNS.filter((column) => numbers[column] === undefined);
  if (missingArm.length > 0)
    notUsable.push(describeMissingArms(missingArm, numbers, row.text('outcome_type')));

  const effect = { g: numbers['.g'], se: numbers['.g_se'] };
  if (
    missingArm.length > 0 &&
    notUsable.length === 1 &&
    mapped &&
    timepoint.timepoint !== null &&
    effect.g !== undefined &&
    effect.se !== undefined
  ) {
    const comparison = `${intervention} vs ${control}`;
    const n = (numbers.n_arm1 ?? 0) + (numbers.n_arm2 ?? 0);
    return [
      {
        ...base,
        id: rowId(values.study.id, mapped.outcome, time, values.weeks, instrument, comparison),
        outcome: mapped.outcome,
        timepoint: timepoint.timepoint,
        higherIsBetter: mapped.higherIsBetter,
        status: 'effect',
        reason: `${NOT_USABLE_PREFIX}${notUsable.join('; ')}`,
        comparison,
        reported: { ...numbers },
        yi: effect.g,
        sei: effect.se,
        n: numbers.n_arm1 !== undefined && numbers.n_arm2 !== undefined ? n : null,
        controlType: controlType ?? 'other',
        basis: "the file's .g and .g_se (metapsyTools' Hedges' g, positive favouring arm 1)",
      } satisfies EffectOutcomeRow,
    ];
  }

  if (notUsable.length > 0 || !mapped || timepoint.timepoint === null) {
    const setAside: SetAsideOutcomeRow = {
      ...base,
      id: rowId(
        values.study.id,
        mapped?.outcome ?? subcategory,
        time,
        values.weeks,
        instrument,
        `${intervention} vs ${control}`,
      ),
      outcome: mapped?.outcome ?? null,
      timepoint: timepoint.timepoint,
      higherIsBetter: mapped?.higherIsBetter ?? null,
      status: 'not usable',
      reason: `${NOT_USABLE_PREFIX}${notUsable.join('; ')}`,
      comparison: `${intervention} vs ${control}`,
      reported: { ...numbers },
    };
    return [setAside];
  }

  const higherIsBetter = directionOf(
    row,
    values,
    mapped.higherIsBetter,
    instrument,
    options.config.outcomeMap.directionFromSourceEffect,
    warnings,
  );
  const arm = (n: '1' | '2'): ArmOutcomeRow => {
    const label = n === '1' ? intervention : control;
    return {
      ...base,
      id: rowId(values.study.id, mapped.outcome, time, values.weeks, instrument, label),
      outcome: mapped.outcome,
      timepoint: timepoint.timepoint,
      higherIsBetter,
      status: 'usable',
      arm: label,
      role: n === '1' ? 'intervention' : 'control',
      controlType: n === '1' ? null : (controlType ?? 'other'),
      mean: numbers[`mean_arm${n}`] as number,
      sd: numbers[`sd_arm${n}`] as number,
      n: numbers[`n_arm${n}`] as number,
    };
  };
  return [arm('1'), arm('2')];
}

function describeMissingArms(
  missing: readonly string[],
  numbers: RowValues['numbers'],
  outcomeType: string | null,
): string {
  const has = (columns: readonly NumericColumn[]) => columns.some((column) => numbers[column] !== undefined);
  const kept: string[] = [];
  if (has(CHANGE_COLUMNS)) kept.push('change-from-baseline scores');
  if (has(EVENT_COLUMNS)) kept.push('event counts');
  if (has(['precalc_g', 'precalc_g_se'])) kept.push("a precalculated Hedges' g");
  if (has(['precalc_log_rr', 'precalc_log_rr_se'])) kept.push('a precalculated log risk ratio');
  const type = outcomeType && outcomeType !== 'msd' ? `${outcomeType} outcome; ` : '';
  const only = kept.length > 0 ? `; the source gives only ${kept.join(', ')}` : '';
  return `${type}${missing.join(', ')} missing (NA)${only}`;
}

/**
 * The file's own effect size (.g, from metapsyTools, whose change.sign option lets a database sign effects so
 * that positive favours arm 1; the peer-support rows do, e.g. Cook 2012a's BSI: lower arm-1 mean, positive g)
 * implies a direction: when g and the mean difference share a sign, higher scores favour arm 1. By default a
 * disagreement with the configured direction is reported, not acted on: it flags a misconfigured instrument or a
 * suspect row. A review that follows the source's alignment (`directionFromSourceEffect`) uses the implied one.
 */
function directionOf(
  row: TableRow,
  values: RowValues,
  configured: boolean,
  instrument: string,
  followSource: boolean,
  warnings: string[],
): boolean {
  const { numbers } = values;
  const g = numbers['.g'];
  const difference = (numbers.mean_arm1 ?? 0) - (numbers.mean_arm2 ?? 0);
  if (g === undefined || g === 0 || difference === 0) return configured;
  const implied = Math.sign(g) === Math.sign(difference);
  if (implied === configured) return configured;
  const say = (higher: boolean) => (higher ? 'higher is better' : 'lower is better');
  warnings.push(
    `row ${row.row} (${values.study.label}, ${instrument}): the file's .g sign implies ${say(implied)}, ` +
      `the configuration says ${say(configured)}; ${followSource ? "the file's sign is followed, as the review does" : 'the configuration is used'}`,
  );
  return followSource ? implied : configured;
}

/** Weeks are stored as given; rows where they look like another unit are named once, in one warning. */
function warnAboutWeeks(parsed: { row: TableRow; values: RowValues }[], warnings: string[]): void {
  const suspect = parsed.filter(({ row, values }) =>
    implausiblePostWeeks(row.text('time') ?? '', values.weeks, durationInWeeks(row.text('duration_int'))),
  );
  if (suspect.length === 0) return;
  warnings.push(
    `time_weeks is under half the treatment duration (duration_int) for ${suspect.length} post-treatment row(s) ` +
      `(rows ${suspect.map(({ row }) => row.row).join(', ')}); the values may not be in weeks and are stored as given`,
  );
}
