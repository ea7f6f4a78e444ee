/**
 * One checkout, any review: the group peer support review and Smit et al. 2023 run from their files through the
 * same CLI (cycle --offline: seed, analyse, publish), a review written by `init` runs too, and a malformed file
 * stops every command before anything is stored.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisEntry } from '#shared/analysis/run-plan.ts';
import { runChild } from '#test/support/crash.ts';

const work = mkdtempSync(join(tmpdir(), 'review-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url);
const analysesOf = (site: string): AnalysisEntry[] =>
  JSON.parse(readFileSync(join(site, 'analysis.json'), 'utf8')).analyses;

async function cycle(review: string, name: string) {
  const data = join(work, name, 'data');
  const site = join(work, name, 'site');
  const run = await runChild(['cycle', '--offline', '--review', review, '--data', data, '--site', site]);
  expect(run.stderr).not.toMatch(/living-review cycle:/);
  expect(run.code).toBe(0);
  return { data, site, html: readFileSync(join(site, 'index.html'), 'utf8') };
}

/** A "This version" row of the summary table: k, the estimate, its CI and I², as printed. */
function printedMain(html: string, outcome: string) {
  const row = new RegExp(
    `<tr class="current" data-outcome="${outcome}" data-timepoint="Post-intervention" data-analysis="main">(.*?)</tr>`,
    's',
  ).exec(html)?.[1];
  if (!row) throw new Error(`no main row for ${outcome}`);
  const field = (name: string) => new RegExp(`data-field="${name}">([^<]*)<`).exec(row)?.[1];
  return { k: field('k'), g: field('point'), ci: field('ci'), i2: field('i2') };
}

/** The paper's "All studies pooled" row of Table N, as printed in the seed text. */
function publishedMain(table: 1 | 2 | 3) {
  const text = readFileSync(fixture('seeds/004_a872cd5fe20f4e3b.txt'), 'utf8');
  const section = text.split(`Table ${table}. Effects for`)[1] ?? '';
  const match = /All studies pooled\t(\d+)\t(−?-?[\d.]+) \((.+?)\)\t(\d+) \(/.exec(section);
  if (!match) throw new Error(`Table ${table} has no main-effect row`);
  const [, k, g, ci, i2] = match as unknown as [string, string, string, string, string];
  // The paper writes "0.11–0.27" and "−0.02 to 0.18"; the page writes "0.11 to 0.27" with a typographic minus.
  const bounds = ci.split(/–(?=\d)| to /).map((bound) => bound.replace('-', '−'));
  return { k, g: g.replace('-', '−'), ci: bounds.join(' to '), i2: `${i2}%` };
}

describe('two reviews from one checkout', () => {
  it("the group peer support review's analyses are those it had before it became a file", async () => {
    const { site } = await cycle('group-peer-support', 'group');
    const before = JSON.parse(
      readFileSync(fixture('group-peer-support/analysis-before-review-file.json'), 'utf8'),
    );
    expect(analysesOf(site)).toEqual(before.analyses);
  });

  it("Smit et al. 2023's page reproduces the main effects of its Tables 1-3 to the printed digits", async () => {
    const { site, html } = await cycle('smit-2023', 'smit');
    const outcomes = [
      ['Clinical recovery', 1],
      ['Personal recovery', 2],
      ['Functional recovery', 3],
    ] as const;
    for (const [outcome, table] of outcomes) {
      expect({ outcome, ...printedMain(html, outcome) }).toEqual({ outcome, ...publishedMain(table) });
    }
    const mains = analysesOf(site).filter((entry) => entry.analysis === 'main');
    expect(mains.map((entry) => [entry.outcome, entry.timepoint, entry.k])).toEqual([
      ['clinical recovery', 'post', 22],
      ['personal recovery', 'post', 19],
      ['functional recovery', 'post', 25],
    ]);
    // And equal to metafor on the same inputs (REML, Hartung-Knapp; test/fixtures/smit-2023/make-reference.R).
    const reference = JSON.parse(
      readFileSync(fixture('smit-2023/metafor-main-effects.json'), 'utf8'),
    ).results;
    for (const entry of mains) {
      const expected = reference[`${entry.outcome[0]?.toUpperCase()}${entry.outcome.slice(1)}`];
      expect(entry.estimate).toBeCloseTo(expected.estimate, 6);
      expect(entry.ci?.[0]).toBeCloseTo(expected.ci_lb, 6);
      expect(entry.ci?.[1]).toBeCloseTo(expected.ci_ub, 6);
      expect(entry.I2_Q).toBeCloseTo(expected.I2_Q, 4);
    }
  });

  it('a store holds one review: another review is refused before it writes anything', async () => {
    const data = join(work, 'group', 'data');
    const run = await runChild([
      'publish',
      '--review',
      'smit-2023',
      '--data',
      data,
      '--site',
      join(work, 'x'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('this store holds the review "group-peer-support", not "smit-2023"');
    expect(existsSync(join(work, 'x'))).toBe(false);
  });
});

describe('a malformed review file', () => {
  it('is refused at start with the key at fault, and nothing runs', async () => {
    const file = JSON.parse(
      readFileSync(new URL('../../reviews/smit-2023/review.json', import.meta.url), 'utf8'),
    );
    file.plan.subgroups.push({ name: 'by-age', description: 'older vs younger', characteristic: 'age' });
    delete file.labels;
    const path = join(work, 'malformed.json');
    writeFileSync(path, JSON.stringify(file));
    const data = join(work, 'malformed-data');
    const run = await runChild([
      'cycle',
      '--offline',
      '--review',
      path,
      '--data',
      data,
      '--site',
      join(work, 'm'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('labels: ');
    expect(existsSync(data)).toBe(false);
    file.labels = { intervention: 'peer support', control: 'control' };
    writeFileSync(path, JSON.stringify(file));
    const again = await runChild(['analyse', '--review', path, '--data', data]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('plan.subgroups.2.characteristic: "age" is not a declared characteristic');
    expect(existsSync(data)).toBe(false);
  });
});

describe('a third review, from init', () => {
  it('is written from a few flags and runs through cycle and publish', async () => {
    const path = join(work, 'third', 'review.json');
    const init = await runChild([
      'init',
      ...['--id', 'exercise-depression', '--title', 'Exercise for depression: a living review'],
      ...['--question', 'In adults with depression, does exercise reduce depressive symptoms?'],
      ...[
        '--citation',
        'Cooney GM, et al. Exercise for depression. Cochrane Database Syst Rev 2013;(9):CD004366.',
      ],
      ...['--authors', 'Cooney et al. 2013', '--published', '2013-09-12', '--searched-until', '2013-03-01'],
      ...[
        '--intervention',
        'exercise',
        '--outcome',
        'depression:lower',
        '--outcome',
        'quality of life:higher',
      ],
      ...['--pubmed', 'exercise[tiab]', '--condition', 'depress*[tiab]', '--out', path],
    ]);
    expect(init.code).toBe(0);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.outcomes).toEqual([
      { id: 'depression', higherIsBetter: false },
      { id: 'quality of life', higherIsBetter: true },
    ]);
    const again = await runChild(['init', '--id', 'x', '--out', path]);
    expect(again.code).toBe(2);

    const { html } = await cycle(path, 'third');
    expect(html).toContain('Exercise for depression: a living review');
    const publish = await runChild([
      ...[
        'publish',
        '--review',
        path,
        '--data',
        join(work, 'third', 'data'),
        '--site',
        join(work, 'third', 'site'),
      ],
    ]);
    expect(publish.code).toBe(0);
    expect(publish.stdout).toMatch(/published analysis version 1/);
  });
});
