import { reanalyse } from '#shared/analysis/reanalyse.ts';
import { screenRecord } from '#shared/screening/screen.ts';
import { DECISION_VALUES, STAGES, systemClock } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { choice, flag, optionalString, requiredString } from '../options.ts';
import { REVIEW_HELP, reviewOption, withReviewStore } from '../review-option.ts';
import { STORE_HELP, storeOptions } from '../store-option.ts';
import { printJson, type Verb } from '../verb.ts';

export const screenVerb: Verb = {
  name: 'screen',
  summary: 'Record a screening decision on a queued record',
  help: `Usage: living-review screen ID --reviewer NAME --decision include|exclude|maybe [--reason CODE]
                             [--stage title-abstract|full-text] [--revise] [--review ID|FILE] [--data DIR | --table NAME] [--json]

Appends a decision (kept with reviewer and time, never overwritten). A reviewer decides a record once per stage;
--revise records a changed decision as a new entry. Records in the dual-screening sample need two reviewers;
a disagreement is a conflict until a third reviewer decides. An unknown id or reason, or a second decision
without --revise, exits 2 and changes nothing.

Options:
  --reviewer NAME         who decides
  --decision VALUE        include, exclude or maybe
  --stage STAGE           title-abstract (default) or full-text
  --reason CODE           exclusion reason (required when excluding at full text): a code of the review
                          file's eligibility.reasons (an unknown code is refused with the list)
  --note TEXT             a note kept with the decision (at most 2000 characters)
  --revise                change this reviewer's earlier decision
${REVIEW_HELP}
${STORE_HELP}
  --json                  one JSON object on stdout
`,
  options: {
    ...reviewOption,
    ...storeOptions,
    reviewer: { type: 'string' },
    decision: { type: 'string' },
    reason: { type: 'string' },
    note: { type: 'string' },
    stage: { type: 'string' },
    revise: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, io) {
    const reason = optionalString(values, 'reason');
    const note = optionalString(values, 'note');
    requiredString(values, 'decision');
    const request = {
      recordId: positionals[0] ?? '',
      reviewer: requiredString(values, 'reviewer'),
      decision: choice(values, 'decision', DECISION_VALUES, 'maybe'),
      stage: choice(values, 'stage', STAGES, 'title-abstract'),
      revise: flag(values, 'revise'),
      ...(reason !== undefined ? { reason } : {}),
      ...(note !== undefined ? { note } : {}),
    };
    const fullText = request.stage === 'full-text';
    const { result, analysis, study } = await withReviewStore(
      values,
      io,
      async ({ store, session, notifier }, review) => {
        const result = await screenRecord(request, {
          store,
          clock: systemClock,
          eligibility: review.eligibility,
        });
        // A full-text decision changes what the review includes, so the analysis is brought up to date at once.
        const analysis = fullText
          ? await reanalyse(
              review,
              { store, clock: systemClock, session, notifier },
              `screening decision on ${request.recordId}`,
            )
          : undefined;
        // An inclusion makes the record's study included: say which, and whether its data are still to come.
        const study =
          result.state.status === 'included'
            ? (await loadEvidence(review, store, systemClock)).units.find((unit) =>
                unit.reports.includes(result.decision.recordId),
              )
            : undefined;
        return { result, analysis, study };
      },
      { alerts: fullText },
    );
    if (flag(values, 'json')) {
      printJson(io, result);
      return 0;
    }
    const { decision, state } = result;
    io.stdout(
      `${decision.reviewer}: ${decision.decision} ${decision.recordId} at ${decision.stage}${decision.reason ? ` (${decision.reason})` : ''}${decision.revision > 1 ? ` [revision ${decision.revision}]` : ''}; record now ${state.status}\n`,
    );
    if (study)
      io.stdout(
        study.dataStudyIds.length > 0
          ? `study ${study.label} (${study.id}) is included; its outcome data are in the pool where usable\n`
          : `study ${study.label} (${study.id}) is included and awaits data: extract them with 'living-review extract import FILE --format csv' (study "${study.label}", docs/extraction-csv.md)\n`,
      );
    if (analysis?.created)
      io.stdout(`analysis version ${analysis.version} (${analysis.material.length} material changes)\n`);
    return 0;
  },
};
