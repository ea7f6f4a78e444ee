import { csvCell } from '#shared/text/csv-cell.ts';
import { ProblemList } from './cells.ts';
import { type CharacteristicSpec, declaredValue } from './characteristics.ts';
import {
  type ArmOutcomeRow,
  type ControlType,
  citationParts,
  type DeliveryFormat,
  type ExtractionBatch,
  isArmRow,
  ROB1_DOMAINS,
  ROB2_DOMAINS,
  type Rob1Domain,
  type Rob1Judgement,
  type Rob2Domain,
  type Rob2Notes,
  type Rob2Rating,
  type Rob2StudyRating,
  type RobRating,
  type Study,
  studyIdFor,
  type TimepointClass,
} from './model.ts';
import { directionFor, type ExtractionConfig, findReviewOutcome, scopeOf } from './outcome-map.ts';
import { overallRob1, suggestedRob2Overall } from './rob.ts';
import { dedupeRows, rowId } from './rows.ts';
import { readTable, type TableRow } from './table.ts';

/** The project's own outcome CSV; docs/extraction-csv.md documents every column and rule. */
const ROB1_COLUMNS: Record<Rob1Domain, string> = {
  randomSequenceGeneration: 'rob_sequence_generation',
  allocationConcealment: 'rob_allocation_concealment',
  blindingOfParticipantsAndPersonnel: 'rob_blinding_participants',
  blindingOfOutcomeAssessment: 'rob_blinding_assessment',
  incompleteOutcomeData: 'rob_incomplete_outcome_data',
  selectiveReporting: 'rob_selective_reporting',
  otherBias: 'rob_other',
};
export const ROB2_COLUMNS: Record<Rob2Domain | 'overall', string> = {
  randomisationProcess: 'rob2_randomisation',
  deviationsFromIntendedInterventions: 'rob2_deviations',
  missingOutcomeData: 'rob2_missing_data',
  measurementOfTheOutcome: 'rob2_measurement',
  selectionOfTheReportedResult: 'rob2_selection',
  overall: 'rob2_overall',
};

/** The support a reviewer wrote for each RoB 2 domain, and the reason an overall judgement departs from the algorithm. */
export const ROB2_SUPPORT_COLUMNS: Record<Rob2Domain, string> = {
  randomisationProcess: 'rob2_randomisation_support',
  deviationsFromIntendedInterventions: 'rob2_deviations_support',
  missingOutcomeData: 'rob2_missing_data_support',
  measurementOfTheOutcome: 'rob2_measurement_support',
  selectionOfTheReportedResult: 'rob2_selection_support',
};
export const ROB2_OVERALL_REASON = 'rob2_overall_reason';

/** Study columns; the review's declared characteristics follow `format`, one column each. */
const studyColumns = (characteristics: readonly CharacteristicSpec[]) => [
  'study',
  'year',
  'country',
  'format',
  ...characteristics.map((spec) => spec.csvColumn),
  'n_randomised',
  ...Object.values(ROB1_COLUMNS),
  ...Object.values(ROB2_COLUMNS),
  ...Object.values(ROB2_SUPPORT_COLUMNS),
  ROB2_OVERALL_REASON,
];
/**
 * Where each written row's values came from (written by `writeExtractionCsv`; read back as information only: a
 * re-imported file is itself the source of what it holds).
 */
const PROVENANCE_COLUMNS = ['source', 'source_document', 'source_row', 'study_source'];
const REQUIRED = ['study', 'outcome', 'timepoint', 'instrument', 'arm', 'role', 'mean', 'sd', 'n'];
const OPTIONAL_OUTCOME = ['time', 'weeks', 'higher_is_better', 'control_type'];
export const extractionCsvColumns = (characteristics: readonly CharacteristicSpec[]) => [
  ...studyColumns(characteristics),
  'outcome',
  'timepoint',
  'time',
  'weeks',
  'instrument',
  'higher_is_better',
  'arm',
  'role',
  'control_type',
  'mean',
  'sd',
  'n',
  ...PROVENANCE_COLUMNS,
];

const TIMEPOINTS: TimepointClass[] = ['post', 'short-term', 'long-term'];
const CONTROL_TYPES: ControlType[] = ['tau', 'wait-list', 'active', 'other'];
const FORMATS: DeliveryFormat[] = ['group', 'individual', 'mixed'];
const ROB1_RATINGS: RobRating[] = ['low', 'high', 'unclear'];
const ROB2_RATINGS: Rob2StudyRating[] = ['low', 'some concerns', 'high', 'varies by result'];

function choice<T extends string>(
  row: TableRow,
  column: string,
  allowed: readonly T[],
  problems: ProblemList,
) {
  const text = row.text(column);
  if (text === null) return null;
  const value = allowed.find((option) => option === text.toLowerCase());
  if (value === undefined) problems.add(row.row, column, `"${text}" is not one of: ${allowed.join(', ')}`);
  return value ?? null;
}

function characteristic(row: TableRow, spec: CharacteristicSpec, problems: ProblemList): string | null {
  const text = row.text(spec.csvColumn);
  if (text === null) return null;
  const value = declaredValue(spec, text);
  if (value === undefined) {
    const allowed = spec.values.map((option) => option.value).join(', ');
    problems.add(row.row, spec.csvColumn, `"${text}" is not one of: ${allowed}`);
  }
  return value ?? null;
}

function yesNo(row: TableRow, column: string, problems: ProblemList): boolean | null {
  const value = choice(row, column, ['yes', 'no'], problems);
  return value === null ? null : value === 'yes';
}

/** Reads a group of rating columns that must be filled all together or not at all. */
function ratings<K extends string, R extends string>(
  row: TableRow,
  columns: Record<K, string>,
  allowed: readonly R[],
  problems: ProblemList,
): Record<K, R> | null {
  const entries = (Object.entries(columns) as [K, string][]).map(
    ([key, column]) => [key, column, choice(row, column, allowed, problems)] as const,
  );
  const given = entries.filter(([, , value]) => value !== null);
  if (given.length === 0) return null;
  if (given.length < entries.length) {
    const empty = entries.filter(([, , value]) => value === null).map(([, column]) => column);
    problems.add(row.row, empty.join(', '), 'fill every column of this risk-of-bias group or none');
    return null;
  }
  return Object.fromEntries(entries.map(([key, , value]) => [key, value])) as Record<K, R>;
}

/**
 * The support text of each RoB 2 domain and the reason for an overall judgement other than the RoB 2 algorithm's
 * suggestion, which is then required: a departure from the algorithm is a judgement the reviewer explains.
 */
function readRob2Notes(
  row: TableRow,
  ratings: Record<Rob2Domain | 'overall', Rob2StudyRating> | null,
  problems: ProblemList,
): Rob2Notes | undefined {
  const support = Object.fromEntries(
    ROB2_DOMAINS.flatMap((domain) => {
      const text = row.text(ROB2_SUPPORT_COLUMNS[domain]);
      return text === null ? [] : [[domain, text]];
    }),
  ) as Rob2Notes['support'];
  const overallReason = row.text(ROB2_OVERALL_REASON);
  if (!ratings) {
    if (Object.keys(support).length > 0 || overallReason !== null)
      problems.add(row.row, 'rob2_*_support', 'support text without RoB 2 ratings');
    return undefined;
  }
  const judged = ROB2_DOMAINS.every((domain) => ratings[domain] !== 'varies by result');
  if (judged && ratings.overall !== 'varies by result') {
    const suggested = suggestedRob2Overall(ratings as Record<Rob2Domain, Rob2Rating>);
    if (suggested.rating !== ratings.overall && overallReason === null) {
      problems.add(
        row.row,
        ROB2_OVERALL_REASON,
        `the overall judgement "${ratings.overall}" departs from the RoB 2 algorithm's "${suggested.rating}" (${suggested.reason}): say why`,
      );
    }
  }
  if (Object.keys(support).length === 0 && overallReason === null) return undefined;
  return { support, ...(overallReason === null ? {} : { overallReason }) };
}

function readStudy(row: TableRow, config: ExtractionConfig, document: string, problems: ProblemList): Study {
  const label = row.text('study') ?? '';
  const format = choice(row, 'format', FORMATS, problems);
  const rob1Ratings = ratings(row, ROB1_COLUMNS, ROB1_RATINGS, problems);
  const rob2Ratings = ratings(row, ROB2_COLUMNS, ROB2_RATINGS, problems);
  const rob2Notes = readRob2Notes(row, rob2Ratings, problems);
  const scope = scopeOf(config.scope, format);
  const basis = `given in ${document}`;
  return {
    id: studyIdFor(label),
    label,
    authors: [citationParts(label).author],
    year: row.number('year', { integer: true, min: 1900 }) ?? null,
    characteristics: {
      coded: Object.fromEntries(
        config.characteristics.map((spec) => [spec.id, characteristic(row, spec, problems)]),
      ),
      comparators: [],
      country: row.text('country'),
      nRandomised: row.number('n_randomised', { integer: true, min: 2 }) ?? null,
      format,
    },
    inScope: scope.inScope,
    scopeReason: scope.reason,
    riskOfBias: {
      rob1: rob1Ratings
        ? (Object.fromEntries(
            ROB1_DOMAINS.map((domain) => [domain, { rating: rob1Ratings[domain], basis }]),
          ) as Record<Rob1Domain, Rob1Judgement>)
        : null,
      rob1Overall: rob1Ratings ? overallRob1(rob1Ratings).rating : null,
      rob2: rob2Ratings
        ? {
            domains: Object.fromEntries(
              ROB2_DOMAINS.map((domain) => [domain, rob2Ratings[domain]]),
            ) as Record<Rob2Domain, Rob2StudyRating>,
            overall: rob2Ratings.overall,
          }
        : null,
      ...(rob2Notes ? { rob2Notes } : {}),
    },
    provenance: { source: 'csv', document, row: row.row },
  };
}

function readArm(
  row: TableRow,
  study: Study,
  config: ExtractionConfig,
  document: string,
  problems: ProblemList,
): ArmOutcomeRow | null {
  const outcomeText = row.text('outcome') ?? '';
  const outcome = findReviewOutcome(config.outcomeMap, outcomeText);
  if (!outcome) {
    const known = config.outcomeMap.outcomes.map((o) => o.id).join(', ');
    problems.add(row.row, 'outcome', `"${outcomeText}" is not a review outcome (${known})`);
  }
  const timepoint = choice(row, 'timepoint', TIMEPOINTS, problems);
  if (row.text('timepoint') === null) problems.add(row.row, 'timepoint', 'required');
  const role = choice(row, 'role', ['intervention', 'control'] as const, problems);
  if (row.text('role') === null) problems.add(row.row, 'role', 'required');
  const controlType = choice(row, 'control_type', CONTROL_TYPES, problems);
  if (role === 'control' && controlType === null)
    problems.add(row.row, 'control_type', 'required for a control arm');
  if (role === 'intervention' && controlType !== null) {
    problems.add(row.row, 'control_type', 'must be empty for an intervention arm');
  }
  const instrument = row.text('instrument');
  if (instrument === null) problems.add(row.row, 'instrument', 'required');
  const arm = row.text('arm');
  if (arm === null) problems.add(row.row, 'arm', 'required');
  const direction = yesNo(row, 'higher_is_better', problems);
  const numbers = {
    mean: row.number('mean'),
    sd: row.number('sd', { above: 0 }),
    n: row.number('n', { integer: true, min: 2 }),
  };
  for (const [column, value] of Object.entries(numbers)) {
    if (value === null) problems.add(row.row, column, 'required');
  }
  const weeks = row.number('weeks', { min: 0 });
  const { mean, sd, n } = numbers;
  if (!outcome || !timepoint || !role || !instrument || !arm || typeof mean !== 'number') return null;
  if (typeof sd !== 'number' || typeof n !== 'number' || weeks === undefined) return null;
  const time = row.text('time') ?? timepoint;
  return {
    id: rowId(study.id, outcome.id, time, weeks, instrument, arm),
    studyId: study.id,
    outcome: outcome.id,
    sourceOutcome: outcomeText,
    instrument,
    timepoint,
    time,
    weeks,
    higherIsBetter: direction ?? directionFor(config.outcomeMap, outcome, instrument),
    rob2: null,
    provenance: { source: 'csv', document, row: row.row },
    status: 'usable',
    arm,
    role,
    controlType: role === 'control' ? controlType : null,
    mean,
    sd,
    n,
  };
}

export function readExtractionCsv(
  text: string,
  options: { document: string; config: ExtractionConfig },
): ExtractionBatch {
  const problems = new ProblemList();
  const table = readTable(
    text,
    {
      document: options.document,
      delimiter: ',',
      required: REQUIRED,
      known: [...studyColumns(options.config.characteristics), ...OPTIONAL_OUTCOME, ...PROVENANCE_COLUMNS],
      missing: ['NA'],
      decimalComma: false,
    },
    problems,
  );
  const studies = new Map<string, { study: Study; key: string; row: number }>();
  const rows: ArmOutcomeRow[] = [];
  for (const row of table.rows) {
    const study = readStudy(row, options.config, options.document, problems);
    if (!study.label) {
      problems.add(row.row, 'study', 'required');
      continue;
    }
    // Study columns repeat on every row of a study and must agree.
    const key = JSON.stringify({ ...study, provenance: null });
    const earlier = studies.get(study.id);
    if (!earlier) studies.set(study.id, { study, key, row: row.row });
    else if (earlier.key !== key) {
      problems.add(
        row.row,
        'study columns',
        `differ from row ${earlier.row} of the same study "${study.label}"`,
      );
    }
    const arm = readArm(row, earlier?.study ?? study, options.config, options.document, problems);
    if (arm) rows.push(arm);
  }
  const unique = dedupeRows(rows, problems).filter(isArmRow);
  problems.throwIfAny(options.document);
  for (const { study } of studies.values()) {
    const types = unique.filter((row) => row.studyId === study.id).map((row) => row.controlType);
    study.characteristics.comparators = CONTROL_TYPES.filter((type) => types.includes(type));
  }
  return {
    studies: [...studies.values()].map(({ study }) => study),
    rows: unique,
    warnings: [],
    ignoredColumns: table.ignoredColumns,
  };
}

/** The published data.csv is opened in spreadsheets: text that reads as a formula is neutralised there. */
function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return csvCell(typeof value === 'boolean' ? (value ? 'yes' : 'no') : value);
}

/**
 * The written reason for a RoB 2 overall judgement: the reviewer's, or, for a source's ratings that depart from the
 * algorithm (Metapsy rates results, and its overall is its authors' judgement), that the source gave it, so the
 * written file reads back as it was.
 */
function rob2OverallReason(study: Study): string | undefined {
  const rob2 = study.riskOfBias.rob2;
  if (study.riskOfBias.rob2Notes?.overallReason) return study.riskOfBias.rob2Notes.overallReason;
  if (!rob2 || rob2.overall === 'varies by result') return undefined;
  if (ROB2_DOMAINS.some((domain) => rob2.domains[domain] === 'varies by result')) return undefined;
  const suggested = suggestedRob2Overall(rob2.domains as Record<Rob2Domain, Rob2Rating>);
  return suggested.rating === rob2.overall ? undefined : `as given by ${study.provenance.document}`;
}

/** Writes studies and their arm-level rows in the project's CSV; set-aside rows have no arm data to write. */
export function writeExtractionCsv(
  studies: Study[],
  rows: ArmOutcomeRow[],
  characteristics: readonly CharacteristicSpec[],
): string {
  const byId = new Map(studies.map((study) => [study.id, study]));
  const lines = rows.map((row) => {
    const study = byId.get(row.studyId);
    if (!study) throw new Error(`row ${row.id} belongs to no given study`);
    const c = study.characteristics;
    const rob1 = study.riskOfBias.rob1;
    const rob2 = study.riskOfBias.rob2;
    const values = [
      study.label,
      study.year,
      c.country,
      c.format,
      ...characteristics.map((spec) => c.coded[spec.id]),
      c.nRandomised,
      ...ROB1_DOMAINS.map((domain) => rob1?.[domain].rating),
      ...ROB2_DOMAINS.map((domain) => rob2?.domains[domain]),
      rob2?.overall,
      ...ROB2_DOMAINS.map((domain) => study.riskOfBias.rob2Notes?.support[domain]),
      rob2OverallReason(study),
      row.outcome,
      row.timepoint,
      row.time,
      row.weeks,
      row.instrument,
      row.higherIsBetter,
      row.arm,
      row.role,
      row.controlType,
      row.mean,
      row.sd,
      row.n,
      row.provenance.source,
      row.provenance.document,
      row.provenance.row,
      study.provenance.characteristics ?? `${study.provenance.source}: ${study.provenance.document}`,
    ];
    return values.map(csvField).join(',');
  });
  return `${[extractionCsvColumns(characteristics).join(','), ...lines].join('\n')}\n`;
}
