import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { loadReview, REVIEWS_DIR } from '#shared/review/load.ts';

const groupFolder = join(REVIEWS_DIR, 'group-peer-support');
const groupFile = join(groupFolder, 'review.json');
// biome-ignore lint/suspicious/noExplicitAny: the tests edit a parsed review file freely to make it malformed
type EditableFile = Record<string, any>;
const original = () => JSON.parse(readFileSync(groupFile, 'utf8')) as EditableFile;

/** Writes a changed copy of the group peer support file elsewhere, its data paths pointing back at the originals. */
function variant(change: (file: EditableFile) => void): string {
  const file = original();
  change(file);
  const dir = mkdtempSync(join(tmpdir(), 'review-file-'));
  const back = (path: string) => relative(dir, join(groupFolder, path));
  for (const source of file.dataSources ?? []) {
    source.file = back(source.file);
    if (source.citations) source.citations = back(source.citations);
  }
  if (file.baseline?.includedReports) file.baseline.includedReports = back(file.baseline.includedReports);
  delete file.demo;
  const path = join(dir, 'review.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
}

function refusal(path: string): string {
  try {
    loadReview(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${path} was accepted`);
}

describe('a review file', () => {
  it('loads the shipped reviews by id', () => {
    const group = loadReview('group-peer-support');
    const smit = loadReview('smit-2023');
    expect(group.id).toBe('group-peer-support');
    expect(group.plan.subgroups.map((subgroup) => subgroup.characteristic)).toEqual([
      'severeMentalHealthConditions',
      'structured',
    ]);
    expect(smit.id).toBe('smit-2023');
    expect(smit.plan.main).toMatchObject({ method: 'REML', test: 'knha' });
    expect(smit.baseline.trials).toHaveLength(28);
  });

  it('a copy with its data paths fixed loads like the original', () => {
    expect(loadReview(variant(() => {})).baseline.trials).toHaveLength(8);
  });

  it('takes a baseline trial given by its label and citation alone', () => {
    const review = loadReview(
      variant((file) =>
        file.baseline.trials.push({ label: 'Alpha 2010', citation: 'Alpha A. A trial. 2010.' }),
      ),
    );
    const alpha = review.baseline.trials.find((trial) => trial.study.label === 'Alpha 2010');
    expect(alpha?.study).toMatchObject({
      id: 'alpha-2010',
      year: 2010,
      characteristics: { coded: { structured: null }, comparators: [], format: null },
      riskOfBias: { rob1: null, rob2: null },
    });
  });

  it('refuses a missing key, naming it', () => {
    const message = refusal(variant((file) => delete file.plan.main));
    expect(message).toMatch(/plan\.main: /);
  });

  it('refuses an outcome in the plan that the file does not declare, naming the key', () => {
    const message = refusal(variant((file) => (file.plan.outcomes = ['recovery', 'wellbeing'])));
    expect(message).toContain('plan.outcomes.1: "wellbeing" is not a declared outcome');
  });

  it('refuses a subgroup on an undeclared characteristic, naming the key', () => {
    const message = refusal(
      variant((file) =>
        file.plan.subgroups.push({ name: 'by-age', description: 'older vs younger', characteristic: 'age' }),
      ),
    );
    expect(message).toContain('plan.subgroups.2.characteristic: "age" is not a declared characteristic');
  });

  it('refuses a misspelt key instead of ignoring it', () => {
    const message = refusal(variant((file) => (file.plan.timepionts = ['post'])));
    expect(message).toMatch(/plan\.timepionts: unknown key/);
  });

  it('refuses an outcome rule naming an undeclared outcome and a data file that is not there', () => {
    expect(refusal(variant((file) => (file.outcomeRules[0].outcome = 'hopefulness')))).toContain(
      'outcomeRules.0.outcome: "hopefulness" is not a declared outcome',
    );
    expect(refusal(variant((file) => (file.dataSources[0].file = 'nowhere.csv')))).toMatch(
      /dataSources\.0\.file: no file .*nowhere\.csv/,
    );
  });

  it('refuses a baseline trial coded with a value its characteristic does not declare', () => {
    const message = refusal(
      variant((file) => (file.baseline.trials[0].characteristics.coded.structured = 'sometimes')),
    );
    expect(message).toContain(
      'baseline.trials.0.characteristics.coded.structured: "sometimes" is not one of yes, no',
    );
  });

  it('names an unknown review id with the ids it knows, and says when a file is not JSON', () => {
    expect(() => loadReview('no-such-review')).toThrow(
      /no such review \(known ids: .*group-peer-support.*smit-2023/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'review-file-'));
    writeFileSync(join(dir, 'review.json'), '{ "id": ');
    expect(() => loadReview(join(dir, 'review.json'))).toThrow(/not valid JSON/);
  });
});
