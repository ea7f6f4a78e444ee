/**
 * The extraction form of an included study: its characteristics (the review's declared ones) and one row per arm,
 * outcome and timepoint (instrument, mean, SD, N). What is entered becomes a file in the project's extraction CSV
 * and goes through the same import as `extract import` (the same rules, the whole form checked first, nothing
 * stored until it is valid), then the analysis re-runs and the page is republished, and the team sees what changed.
 */
import { reanalyse } from '#shared/analysis/reanalyse.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { FileProblemsError } from '#shared/extraction/cells.ts';
import { ROB2_COLUMNS, ROB2_OVERALL_REASON, ROB2_SUPPORT_COLUMNS } from '#shared/extraction/csv.ts';
import {
  isArmRow,
  ROB2_DOMAINS,
  type Rob2Domain,
  type Rob2Rating,
  type Study,
} from '#shared/extraction/model.ts';
import { suggestedRob2Overall } from '#shared/extraction/rob.ts';
import { escapeHtml as h } from '#shared/publishing/escape.ts';
import { ROB2_TOOL } from '#shared/publishing/rob-model.ts';
import { importStudyData } from '#shared/studies/import-data.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import type { StudyUnit } from '#shared/studies/units.ts';
import { csvCell } from '#shared/text/csv-cell.ts';
import type { WorkbenchRequest } from '../app.ts';
import { csrfField, type FormError, page } from '../layout.ts';

const ROW_FIELDS = [
  'outcome',
  'timepoint',
  'weeks',
  'instrument',
  'arm',
  'role',
  'control_type',
  'mean',
  'sd',
  'n',
];
const BLANK_ROWS = 4;

type Values = Record<string, string>;

interface FormState {
  study: Values;
  rows: Values[];
  /** By field id (`study-year`, `row-2-sd`): the message beside the field. */
  problems: Map<string, string>;
}

const ROB2_FIELDS = [
  ...Object.values(ROB2_COLUMNS),
  ...Object.values(ROB2_SUPPORT_COLUMNS),
  ROB2_OVERALL_REASON,
];

const studyColumns = (request: WorkbenchRequest) => [
  'year',
  'country',
  'format',
  ...request.review.extraction.characteristics.map((spec) => spec.csvColumn),
  'n_randomised',
  ...ROB2_FIELDS,
];

/** The five domains rated, the overall left empty: the RoB 2 algorithm's suggestion, which the reviewer can see. */
function suggestion(study: Values): { rating: Rob2Rating; reason: string } | null {
  const ratings = ROB2_DOMAINS.map((domain) => study[ROB2_COLUMNS[domain]] as Rob2Rating | undefined);
  if (ratings.some((rating) => !rating || !['low', 'some concerns', 'high'].includes(rating))) return null;
  return suggestedRob2Overall(
    Object.fromEntries(ROB2_DOMAINS.map((domain, i) => [domain, ratings[i]])) as Record<
      Rob2Domain,
      Rob2Rating
    >,
  );
}

function rob2Fieldset(state: FormState, field: (column: string, label: string, input: string) => string) {
  const rating = (column: string, label: string) =>
    select(
      column === ROB2_COLUMNS.overall ? 'study-rob2_overall' : `study-${column}`,
      `study-${column}`,
      state.study[column] ?? '',
      ['low', 'some concerns', 'high'],
      label,
    );
  const domains = ROB2_TOOL.domains
    .map(
      (domain) =>
        field(
          ROB2_COLUMNS[domain.id],
          `${domain.short} ${domain.label}`,
          rating(ROB2_COLUMNS[domain.id], domain.label),
        ) +
        field(
          ROB2_SUPPORT_COLUMNS[domain.id],
          `${domain.short} support for the judgement`,
          `<textarea id="study-${ROB2_SUPPORT_COLUMNS[domain.id]}" name="study-${ROB2_SUPPORT_COLUMNS[domain.id]}" rows="2">${h(state.study[ROB2_SUPPORT_COLUMNS[domain.id]] ?? '')}</textarea>`,
        ),
    )
    .join('');
  const suggested = suggestion(state.study);
  return `<fieldset><legend>Risk of bias (RoB 2), of the study's results</legend>
<p class="note">Rate each domain with its support. The overall judgement, when left empty, is the RoB 2 algorithm's: low when every domain is low, high when any is high, some concerns otherwise.${suggested ? ` For these ratings the algorithm suggests <strong>${h(suggested.rating)}</strong> (${h(suggested.reason)}).` : ''} An overall judgement that departs from it needs a reason.</p>
${domains}${field(ROB2_COLUMNS.overall, 'Overall judgement (empty: the suggestion)', rating(ROB2_COLUMNS.overall, 'Overall judgement'))}
${field(ROB2_OVERALL_REASON, 'Reason, when the overall departs from the suggestion', `<input id="study-${ROB2_OVERALL_REASON}" name="study-${ROB2_OVERALL_REASON}" value="${h(state.study[ROB2_OVERALL_REASON] ?? '')}">`)}</fieldset>`;
}

/** A study's stored RoB 2 and notes as form values. */
function storedRob2(study: Study | undefined): Values {
  const rob2 = study?.riskOfBias.rob2;
  const notes = study?.riskOfBias.rob2Notes;
  if (!rob2) return {};
  return {
    ...Object.fromEntries(ROB2_DOMAINS.map((domain) => [ROB2_COLUMNS[domain], rob2.domains[domain]])),
    [ROB2_COLUMNS.overall]: rob2.overall,
    ...Object.fromEntries(
      ROB2_DOMAINS.map((domain) => [ROB2_SUPPORT_COLUMNS[domain], notes?.support[domain] ?? '']),
    ),
    [ROB2_OVERALL_REASON]: notes?.overallReason ?? '',
  };
}

async function includedUnit(request: WorkbenchRequest): Promise<{ unit: StudyUnit; stored: FormState }> {
  const { c, review, store, clock } = request;
  const evidence = await loadEvidence(review, store, clock);
  const id = c.req.param('id') ?? '';
  const unit = evidence.units.find((candidate) => candidate.id === id);
  if (!unit) throw new NotFoundError(`no study '${id}'`);
  // The data's study, else the published review's own coding of the trial: what an import would keep.
  const study =
    evidence.studies.find((candidate) => unit.dataStudyIds.includes(candidate.id)) ??
    review.baseline.trials.find((trial) => trial.study.id === unit.id)?.study;
  const rows = evidence.rows.filter(isArmRow).filter((row) => row.studyId === study?.id);
  const coded = study?.characteristics;
  return {
    unit,
    stored: {
      study: {
        year: String(study?.year ?? ''),
        country: coded?.country ?? '',
        format: coded?.format ?? '',
        n_randomised: coded?.nRandomised === null || coded === undefined ? '' : String(coded.nRandomised),
        ...storedRob2(study),
        ...Object.fromEntries(
          review.extraction.characteristics.map((spec) => [spec.csvColumn, coded?.coded[spec.id] ?? '']),
        ),
      },
      rows: rows.map((row) => ({
        outcome: row.outcome,
        timepoint: row.timepoint,
        weeks: row.weeks === null ? '' : String(row.weeks),
        instrument: row.instrument,
        arm: row.arm,
        role: row.role,
        control_type: row.controlType ?? '',
        mean: String(row.mean),
        sd: String(row.sd),
        n: String(row.n),
      })),
      problems: new Map(),
    },
  };
}

function select(id: string, name: string, value: string, options: readonly string[], label: string) {
  return `<select id="${id}" name="${name}" aria-label="${h(label)}"><option value=""></option>${options
    .map(
      (option) => `<option value="${h(option)}"${option === value ? ' selected' : ''}>${h(option)}</option>`,
    )
    .join('')}</select>`;
}

function renderForm(request: WorkbenchRequest, unit: StudyUnit, state: FormState, errors: FormError[]) {
  const { c, identity, review, cookies } = request;
  const fieldError = (id: string) => {
    const message = state.problems.get(id);
    return message ? `<p class="error-message" id="${id}-error">${h(message)}</p>` : '';
  };
  const studyField = (column: string, label: string, input: string) =>
    `<div class="field${state.problems.has(`study-${column}`) ? ' field-error' : ''}"><label for="study-${column}">${h(label)}</label>${fieldError(`study-${column}`)}${input}</div>`;
  const text = (column: string) =>
    `<input id="study-${column}" name="study-${column}" value="${h(state.study[column] ?? '')}">`;
  const characteristicFields = review.extraction.characteristics
    .map((spec) =>
      studyField(
        spec.csvColumn,
        spec.label,
        select(
          `study-${spec.csvColumn}`,
          `study-${spec.csvColumn}`,
          state.study[spec.csvColumn] ?? '',
          spec.values.map((option) => option.value),
          spec.label,
        ),
      ),
    )
    .join('');
  const rows = [...state.rows, ...Array.from({ length: BLANK_ROWS }, () => ({}) as Values)];
  const outcomes = review.extraction.outcomeMap.outcomes.map((outcome) => outcome.id);
  const cell = (i: number, field: string, input: string) => {
    const id = `row-${i}-${field}`;
    return `<td${state.problems.has(id) ? ' class="field-error"' : ''}>${fieldError(id)}${input}</td>`;
  };
  const rowHtml = rows
    .map((row, i) => {
      const input = (field: string, label: string) =>
        `<input id="row-${i}-${field}" name="row-${i}-${field}" value="${h(row[field] ?? '')}" aria-label="${h(`Row ${i + 1}: ${label}`)}" size="8"${state.problems.has(`row-${i}-${field}`) ? ` aria-describedby="row-${i}-${field}-error"` : ''}>`;
      const choice = (field: string, options: readonly string[], label: string) =>
        select(`row-${i}-${field}`, `row-${i}-${field}`, row[field] ?? '', options, `Row ${i + 1}: ${label}`);
      return `<tr><th scope="row">${i + 1}</th>${cell(i, 'outcome', choice('outcome', outcomes, 'outcome'))}${cell(i, 'timepoint', choice('timepoint', ['post', 'short-term', 'long-term'], 'timepoint'))}${cell(i, 'weeks', input('weeks', 'weeks'))}${cell(i, 'instrument', input('instrument', 'instrument'))}${cell(i, 'arm', input('arm', 'arm'))}${cell(i, 'role', choice('role', ['intervention', 'control'], 'role'))}${cell(i, 'control_type', choice('control_type', ['tau', 'wait-list', 'active', 'other'], 'control type'))}${cell(i, 'mean', input('mean', 'mean'))}${cell(i, 'sd', input('sd', 'SD'))}${cell(i, 'n', input('n', 'N'))}</tr>`;
    })
    .join('');
  return page(c, cookies, {
    title: `Outcome data: ${unit.label}`,
    identity,
    errors,
    body: `<h1>Outcome data: ${h(unit.label)}</h1>
<p>One row per arm, outcome and timepoint, as the project's CSV (docs/extraction-csv.md). Rows left empty are ignored; saving replaces what was entered here before for this study. Nothing is stored unless every row is valid.</p>
<form method="post" action="/studies/${encodeURIComponent(unit.id)}/extraction" novalidate>${csrfField(c, cookies)}
<fieldset><legend>The study</legend>
${studyField('year', 'Year', text('year'))}${studyField('country', 'Country', text('country'))}
${studyField('format', 'Delivery format', select('study-format', 'study-format', state.study.format ?? '', ['group', 'individual', 'mixed'], 'Delivery format'))}
${characteristicFields}${studyField('n_randomised', 'N randomised', text('n_randomised'))}</fieldset>
${rob2Fieldset(state, studyField)}
<div class="scroll" tabindex="0" role="region" aria-label="Outcome rows, scroll sideways"><table><caption>Outcome rows</caption>
<thead><tr><th scope="col">#</th>${['Outcome', 'Timepoint', 'Weeks', 'Instrument', 'Arm', 'Role', 'Control type', 'Mean', 'SD', 'N'].map((label) => `<th scope="col">${label}</th>`).join('')}</tr></thead>
<tbody>${rowHtml}</tbody></table></div>
<button type="submit">Save and re-run the analysis</button></form>`,
  });
}

export async function extractionPage(request: WorkbenchRequest) {
  const { unit, stored } = await includedUnit(request);
  return renderForm(request, unit, stored, []);
}

/** The form as the project's CSV: a header, then one line per filled row; `lines[i]` is the form row of data row i+1. */
function asCsv(label: string, state: FormState, columns: string[]) {
  const filled = state.rows
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => ROW_FIELDS.some((field) => (row[field] ?? '').trim() !== ''));
  const header = ['study', ...columns, ...ROW_FIELDS];
  const lines = filled.map(({ row }) =>
    [
      label,
      ...columns.map((column) => state.study[column] ?? ''),
      ...ROW_FIELDS.map((field) => row[field] ?? ''),
    ]
      .map((value) => csvCell(value.trim()))
      .join(','),
  );
  return { text: `${[header.join(','), ...lines].join('\n')}\n`, formRows: filled.map(({ index }) => index) };
}

export async function saveExtraction(request: WorkbenchRequest) {
  const { c, identity, review, store, clock, notifier } = request;
  const { unit } = await includedUnit(request);
  if (unit.status !== 'included') {
    throw new ConflictError(`${unit.label} is not included: only an included study's data are entered`);
  }
  const body = await c.req.parseBody();
  const value = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const columns = studyColumns(request);
  const rowCount = Object.keys(body).reduce((max, key) => {
    const match = /^row-(\d+)-/.exec(key);
    return match ? Math.max(max, Number(match[1]) + 1) : max;
  }, 0);
  const state: FormState = {
    study: Object.fromEntries(columns.map((column) => [column, value(`study-${column}`)])),
    rows: Array.from({ length: Math.min(rowCount, 500) }, (_, i) =>
      Object.fromEntries(ROW_FIELDS.map((field) => [field, value(`row-${i}-${field}`)])),
    ),
    problems: new Map(),
  };
  const suggested = suggestion(state.study);
  if (suggested && !state.study[ROB2_COLUMNS.overall]) state.study[ROB2_COLUMNS.overall] = suggested.rating;
  const { text, formRows } = asCsv(unit.label, state, columns);
  const document = `workbench-${unit.id}.csv`;
  try {
    if (formRows.length === 0)
      throw new FileProblemsError('no row is filled in', [
        { row: 0, column: 'outcome', message: 'Fill in at least one row' },
      ]);
    const summary = await importStudyData(
      review,
      { store, clock, notifier },
      { text, format: 'csv', document },
    );
    const analysis = await reanalyse(
      review,
      { store, clock, notifier },
      `outcome data of ${unit.label} entered by ${identity.id}`,
    );
    await request.publish();
    const changes = analysis.changes.map(
      (change) =>
        `<li>${h(`${change.outcome}, ${change.timepoint}, ${change.analysis}: ${change.description}`)}${change.material ? ' <strong>(material)</strong>' : ''}</li>`,
    );
    return page(c, request.cookies, {
      title: `Saved: ${unit.label}`,
      identity,
      body: `<h1>Saved: ${h(unit.label)}</h1>
<p>${summary.usableRows} arm rows stored from the form (${h(document)}).</p>
<p>${analysis.created ? `Analysis version ${analysis.version} was made and the page republished.` : `The analysis is unchanged (version ${analysis.version}).`}</p>
${changes.length > 0 ? `<h2>What changed</h2><ul>${changes.join('')}</ul>` : ''}
<p><a href="/studies/${encodeURIComponent(unit.id)}">Back to the study</a></p>`,
    });
  } catch (error) {
    if (!(error instanceof FileProblemsError)) throw error;
    const errors: FormError[] = [];
    for (const found of error.problems) {
      // A group of columns refused together ("rob2_randomisation, rob2_overall") is shown at its first.
      const problem = { ...found, column: found.column.split(', ')[0] ?? found.column };
      const formRow = formRows[problem.row - 1] ?? 0;
      const id =
        columns.includes(problem.column) || problem.column === 'study'
          ? `study-${problem.column === 'study' ? 'year' : problem.column}`
          : `row-${formRow}-${ROW_FIELDS.includes(problem.column) ? problem.column : 'outcome'}`;
      if (!state.problems.has(id)) state.problems.set(id, problem.message);
      errors.push({
        href: `#${id}`,
        text: id.startsWith('row-')
          ? `Row ${formRow + 1}, ${problem.column}: ${problem.message}`
          : `${problem.column}: ${problem.message}`,
      });
    }
    if (errors.length === 0) errors.push({ href: '#row-0-outcome', text: error.message });
    return renderForm(request, unit, state, errors);
  }
}
