import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { InputError } from '#shared/errors.ts';
import { type InitAnswers, newReviewFile } from '#shared/review/init.ts';
import { loadReview, REVIEWS_DIR } from '#shared/review/load.ts';
import { flag, optionalString } from '../options.ts';
import type { CliIO, ParsedValues, Verb } from '../verb.ts';

/** The answers init needs: the flag, the question asked when the flag is missing, and whether it may be empty. */
const QUESTIONS = [
  { key: 'id', flag: 'id', ask: 'Review id (lower-case words joined by hyphens, e.g. exercise-depression)' },
  { key: 'title', flag: 'title', ask: 'Title of the living review' },
  {
    key: 'question',
    flag: 'question',
    ask: 'Review question (population, intervention, comparison, outcomes)',
  },
  { key: 'citation', flag: 'citation', ask: 'Citation of the published review it keeps alive' },
  {
    key: 'authors',
    flag: 'authors',
    ask: 'Its authors as the page names them (e.g. "Smith, Jones & Lee 2024")',
  },
  { key: 'published', flag: 'published', ask: 'Its publication date (YYYY-MM-DD)' },
  { key: 'searchedUntil', flag: 'searched-until', ask: 'The date its searches ran up to (YYYY-MM-DD)' },
  { key: 'intervention', flag: 'intervention', ask: 'What the intervention is called (e.g. exercise)' },
] as const;

const LISTS = [
  {
    key: 'outcomes',
    flag: 'outcome',
    ask: 'Outcomes, comma-separated, each NAME:higher or NAME:lower (which scores are better)',
  },
  {
    key: 'pubmedTerms',
    flag: 'pubmed',
    ask: 'PubMed terms for the intervention, comma-separated (e.g. exercise[tiab], "physical activity"[tiab])',
  },
] as const;

const asList = (value: ParsedValues[string]): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === 'string',
  );

async function answer(
  values: ParsedValues,
  io: CliIO,
  flagName: string,
  question: string,
): Promise<string | undefined> {
  const given = optionalString(values, flagName);
  if (given !== undefined) return given;
  return io.ask ? (await io.ask(`${question}: `)).trim() || undefined : undefined;
}

async function answers(values: ParsedValues, io: CliIO): Promise<InitAnswers> {
  const missing: string[] = [];
  const single: Record<string, string> = {};
  for (const question of QUESTIONS) {
    const value = await answer(values, io, question.flag, question.ask);
    if (value === undefined) missing.push(`--${question.flag}`);
    else single[question.key] = value;
  }
  const lists: Record<string, string[]> = {};
  for (const question of LISTS) {
    let list = asList(values[question.flag]);
    if (list.length === 0 && io.ask) {
      list = (await io.ask(`${question.ask}: `))
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    }
    if (list.length === 0) missing.push(`--${question.flag}`);
    lists[question.key] = list;
  }
  if (missing.length > 0) {
    throw new InputError(
      `init needs ${missing.join(', ')} (or run it in a terminal to be asked); see 'init --help'`,
    );
  }
  return {
    ...(single as Pick<InitAnswers, (typeof QUESTIONS)[number]['key']>),
    control: optionalString(values, 'control') ?? 'control',
    outcomes: lists.outcomes ?? [],
    pubmedTerms: lists.pubmedTerms ?? [],
    conditionTerms: asList(values.condition),
    ctgovTerms: asList(values.ctgov),
  };
}

export const initVerb: Verb = {
  name: 'init',
  summary: 'Write a new review file from a few answers, ready to edit',
  help: `Usage: living-review init --id ID --title TEXT --question TEXT --citation TEXT --authors TEXT
                           --published DATE --searched-until DATE --intervention NAME
                           --outcome NAME:higher|lower [--outcome ...] --pubmed TERM [--pubmed ...]
                           [--condition TERM ...] [--ctgov TERM ...] [--control NAME] [--out FILE] [--force]

Writes reviews/ID/review.json (or --out FILE): the review's question, the published review it keeps alive, its
searches, eligibility (reason codes, every record screened by two reviewers), outcomes and an analysis plan
(random effects, REML with Hartung-Knapp; DerSimonian-Laird as the robustness check), with the published
review's baseline left empty to fill in. The file is checked before it is written, so it runs as it is:
  living-review cycle --offline --review ID --data DIR --site DIR
Edit it next: docs/review-file.md explains every key. Flags that are missing are asked for in a terminal.

Options:
  --id ID                  lower-case words joined by hyphens; the folder name under reviews/
  --title TEXT             the living review's title
  --question TEXT          the review question
  --citation TEXT          the published review it keeps alive
  --authors TEXT           its authors as the page names them, e.g. "Smith, Jones & Lee 2024"
  --published DATE         its publication date, YYYY-MM-DD
  --searched-until DATE    the date its searches ran up to: the first poll starts there
  --intervention NAME      what the intervention is called ("Favours NAME" on the forest plots)
  --control NAME           what the comparator is called (default control)
  --outcome NAME:DIR       an outcome and which scores are better (higher or lower); repeat for each
  --pubmed TERM            a PubMed term for the intervention, in PubMed syntax; repeat for each (ORed)
  --condition TERM         a PubMed term for the population; repeat for each (ORed, ANDed with the above)
  --ctgov TERM             a ClinicalTrials.gov term (default: the --pubmed terms without field tags)
  --out FILE               where to write (default reviews/ID/review.json in this checkout)
  --force                  overwrite an existing file
`,
  options: {
    id: { type: 'string' },
    title: { type: 'string' },
    question: { type: 'string' },
    citation: { type: 'string' },
    authors: { type: 'string' },
    published: { type: 'string' },
    'searched-until': { type: 'string' },
    intervention: { type: 'string' },
    control: { type: 'string' },
    outcome: { type: 'string', multiple: true },
    pubmed: { type: 'string', multiple: true },
    condition: { type: 'string', multiple: true },
    ctgov: { type: 'string', multiple: true },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run({ values }, io) {
    const review = newReviewFile(await answers(values, io));
    const out = optionalString(values, 'out');
    const path = out ? resolve(io.cwd, out) : join(REVIEWS_DIR, review.id, 'review.json');
    if (existsSync(path) && !flag(values, 'force')) {
      throw new InputError(`${path} exists; give --force to overwrite it or --out another file`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(review, null, 2)}\n`);
    // Read back through the loader every command uses: what was written runs.
    loadReview(path);
    const shown = relative(io.cwd, path) || path;
    io.stdout(
      `wrote ${shown}\nnext: edit it (docs/review-file.md), then run\n  living-review cycle --offline --review ${shown} --data DIR --site DIR\n`,
    );
    return 0;
  },
};
