import { reanalyse } from '#shared/analysis/reanalyse.ts';
import { InputError } from '#shared/errors.ts';
import { systemClock } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { judgeStudyData, mergeStudies, moveReport, studyHistory } from '#shared/studies/manage.ts';
import { choice, flag, optionalString, requiredString } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { type CliIO, type ParsedValues, printJson, type Verb } from '../verb.ts';

const ACTIONS = ['list', 'show', 'merge', 'move', 'judge-data'] as const;

export const studyVerb: Verb = {
  name: 'study',
  summary: 'List studies and their inclusion, or merge, split and judge them',
  help: `Usage: living-review study list [--json]
       living-review study show STUDY [--json]
       living-review study merge STUDY --into STUDY --by NAME --reason TEXT
       living-review study move RECORD --to STUDY [--label "Smith 2025"] --by NAME --reason TEXT
       living-review study judge-data STUDY --usable yes|no --by NAME --reason TEXT

A study groups its reports (publications, registrations, data sources) and is what the review includes, extracts
and pools. Reports sharing a registration join one study by themselves; these commands record the team's hand
where that is not enough. Every change is kept with who, when and why, and the analysis is re-run at once.

  list          every study: included, awaiting classification or excluded, with who included it
  show          one study: its reports, screening decisions and recorded changes
  merge         STUDY is the same trial as --into: its reports and data count there from now on
  move          a report belongs to another study (--to), or to a new one named by --label (a split)
  judge-data    whether an included study's data are usable for meta-analysis (overrides the published
                review's judgement, e.g. "provided no usable data")
${REVIEW_HELP}
${STORE_HELP}
  --json                  one JSON document on stdout
`,
  options: {
    ...reviewOption,
    ...storeOptions,
    into: { type: 'string' },
    to: { type: 'string' },
    label: { type: 'string' },
    usable: { type: 'string' },
    by: { type: 'string' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals }, io) {
    const action = ACTIONS.find((candidate) => candidate === positionals[0]);
    if (!action)
      throw new InputError(`unknown study command '${positionals[0]}' (expected ${ACTIONS.join(', ')})`);
    const target = positionals[1];
    if (action !== 'list' && !target) throw new InputError(`study ${action} needs a study or record id`);
    const changes = action !== 'list' && action !== 'show';
    return withReviewStore(
      values,
      io,
      async ({ store, session, notifier }, review) => {
        const ports = { review, store, clock: systemClock };
        if (action === 'list') return printList(await loadEvidence(review, store, systemClock), values, io);
        if (action === 'show') {
          const history = await studyHistory(target as string, ports);
          if (flag(values, 'json')) printJson(io, history);
          else printHistory(history, io);
          return 0;
        }
        const change = { by: requiredString(values, 'by'), reason: requiredString(values, 'reason') };
        const event =
          action === 'merge'
            ? await mergeStudies(
                { ...change, from: target as string, into: requiredString(values, 'into') },
                ports,
              )
            : action === 'move'
              ? await moveReport(
                  {
                    ...change,
                    recordId: target as string,
                    to: requiredString(values, 'to'),
                    ...(optionalString(values, 'label')
                      ? { label: optionalString(values, 'label') as string }
                      : {}),
                  },
                  ports,
                )
              : await judgeStudyData(
                  {
                    ...change,
                    studyId: target as string,
                    usable:
                      requiredString(values, 'usable') !== '' &&
                      choice(values, 'usable', ['yes', 'no'] as const, 'yes') === 'yes',
                  },
                  ports,
                );
        const analysis = await reanalyse(
          review,
          { store, clock: systemClock, session, notifier },
          `study ${action}: ${event.studyId}`,
        );
        if (flag(values, 'json')) printJson(io, { event, analysis });
        else {
          io.stdout(`recorded: ${action} ${event.studyId} by ${event.by}\n`);
          if (analysis.created)
            io.stdout(
              `analysis version ${analysis.version} (${analysis.material.length} material changes)\n`,
            );
        }
        return 0;
      },
      // Only a change re-runs the analysis, which may tell the team a conclusion moved.
      { alerts: changes },
    );
  },
};

function printList(evidence: Awaited<ReturnType<typeof loadEvidence>>, values: ParsedValues, io: CliIO) {
  const units = evidence.units;
  if (flag(values, 'json')) {
    printJson(io, units);
    return 0;
  }
  for (const status of ['included', 'awaiting-classification', 'excluded'] as const) {
    const group = units.filter((unit) => unit.status === status);
    io.stdout(`${status} (${group.length})\n`);
    for (const unit of group) {
      const why = unit.inclusion
        ? ` — ${unit.inclusion.basis}`
        : unit.exclusionReason
          ? ` — ${unit.exclusionReason}`
          : '';
      const data = unit.dataStudyIds.length > 0 ? ' [data]' : '';
      io.stdout(`  ${unit.id.padEnd(28)} ${unit.label}${data}${why}\n`);
    }
  }
  return 0;
}

function printHistory(history: Awaited<ReturnType<typeof studyHistory>>, io: CliIO) {
  const { unit, reports, events, decisions } = history;
  io.stdout(
    `${unit.label} (${unit.id}): ${unit.status}${unit.inclusion ? `, ${unit.inclusion.basis}` : ''}\n`,
  );
  if (unit.registrations.length > 0) io.stdout(`registrations: ${unit.registrations.join(', ')}\n`);
  if (unit.dataJudgement)
    io.stdout(
      `data ${unit.dataJudgement.usable ? 'usable' : 'not usable'} (${unit.dataJudgement.by}): ${unit.dataJudgement.basis}\n`,
    );
  io.stdout(`reports (${reports.length}):\n`);
  for (const view of reports) io.stdout(`  ${view.id}  ${view.screening.status}  ${view.record.title}\n`);
  io.stdout('history:\n');
  const lines = [
    ...decisions.map((d) => ({
      at: d.decidedAt,
      text: `${d.reviewer}: ${d.decision} ${d.recordId} at ${d.stage}`,
    })),
    ...events.map((e) => ({
      at: e.at,
      text: `${e.by}: ${e.action}${'into' in e ? ` into ${e.into}` : ''} (${e.reason})`,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  for (const line of lines) io.stdout(`  ${line.at}  ${line.text}\n`);
}
