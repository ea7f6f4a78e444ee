import { describe, expect, it } from 'vitest';
import { readMetapsy } from '#shared/extraction/metapsy.ts';
import { ROB1_DOMAINS, type RobRating } from '#shared/extraction/model.ts';
import { overallRob1 } from '#shared/extraction/rob.ts';
import { metapsyText, normalisedSeed } from '#test/support/extraction-fixtures.ts';
import {
  BASELINE_TRIALS,
  baselineDataStatus,
  groupPeerSupportExtraction,
  PUBLISHED_RESULTS,
  type PublishedResult,
  trialsCited,
} from '#test/support/group-peer-support.ts';

const seed = normalisedSeed();
const between = (start: string, end: string) =>
  seed.slice(seed.indexOf(start), seed.indexOf(end, seed.indexOf(start)));

/** Reads Table 2 rows from the seed text itself, independent of the register. */
function table2FromSeed(): Omit<PublishedResult, 'source'>[] {
  const table = between('Table 2 Results of the main analysis', 'Means and Standard Deviations for TAU')
    .replace(/[−–]\s?/g, '-')
    .replace(/\(- /g, '(-');
  const [postPart = '', followUpPart = ''] = table.split(' Follow-up ');
  const row =
    /(Recovery|Hope|Empowerment|Global symptoms|Depression) \[([\d, ]+)\] (\d+) (\d+) (MD = )?(-?[\d.]+) \((-?[\d.]+) to (-?[\d.]+)\), p = ([\d.]+) I2 = (\d+)%; Chi2 = ([\d.]+), df = (\d+)(?: (\d+(?: weeks)? to \d+ months))?/g;
  const read = (part: string, timepoint: 'post' | 'short-term') =>
    [...part.matchAll(row)].map((m) => ({
      outcome: (m[1] ?? '').toLowerCase(),
      timepoint,
      citedRefs: (m[2] ?? '').split(', ').map(Number),
      trials: Number(m[3]),
      n: Number(m[4]),
      measure: m[5] ? ('MD' as const) : ('SMD' as const),
      estimate: Number(m[6]),
      ci: [Number(m[7]), Number(m[8])] as [number, number],
      p: Number(m[9]),
      i2: Number(m[10]),
      chi2: Number(m[11]),
      df: Number(m[12]),
      followUp: m[13] ?? null,
    }));
  return [...read(postPart, 'post'), ...read(followUpPart, 'short-term')];
}

describe('the baseline register', () => {
  it('holds the eight included trials', () => {
    expect(seed).toContain('Eight trials met eligibility criteria, providing data from 2131 participants');
    expect(BASELINE_TRIALS).toHaveLength(8);
    expect(
      BASELINE_TRIALS.reduce((sum, trial) => sum + (trial.study.characteristics.nRandomised ?? 0), 0),
    ).toBe(2131);
  });

  it('matches every Table 2 row of the seed text value for value', () => {
    const fromSeed = table2FromSeed();
    expect(fromSeed).toHaveLength(8);
    expect(PUBLISHED_RESULTS.map(({ source: _source, ...rest }) => rest)).toEqual(fromSeed);
  });

  it('resolves each Table 2 row to as many baseline trials as the row says', () => {
    for (const result of PUBLISHED_RESULTS) expect(trialsCited(result)).toHaveLength(result.trials);
  });

  it.each(BASELINE_TRIALS.map((trial) => [trial.study.label, trial] as const))(
    'copies %s’s Table 1 row: label, references, category, country and N',
    (_label, trial) => {
      const cell = (characteristic: string) => {
        const source = trial.sources[characteristic];
        expect(source, `${trial.study.label}: source of ${characteristic}`).toBeDefined();
        return source?.match(/"(.*)"$/)?.[1];
      };
      const printed = [
        trial.study.label,
        trial.citation,
        cell('interventionCategory'),
        cell('country'),
        String(trial.study.characteristics.nRandomised),
      ].join(' ');
      expect(between('Table 1 Study Characteristics', 'Ages and Inpatient admissions')).toContain(printed);
    },
  );

  it('quotes the seed text for every stated rating and characteristic', () => {
    const quotes = BASELINE_TRIALS.flatMap((trial) => [
      ...Object.values(trial.study.riskOfBias.rob1 ?? {}).map((judgement) => judgement.basis),
      ...Object.values(trial.sources),
    ])
      .filter((basis) => basis.startsWith('stated: '))
      .map((basis) => basis.match(/: "(.*)"/)?.[1] ?? 'no quote');
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of new Set(quotes)) expect(seed).toContain(quote);
  });

  it('rates a domain unclear only where the text says so or is silent, and says which', () => {
    for (const trial of BASELINE_TRIALS) {
      for (const domain of ROB1_DOMAINS) {
        const judgement = trial.study.riskOfBias.rob1?.[domain];
        if (judgement?.rating !== 'unclear') continue;
        expect(judgement.basis).toMatch(/^(unstated: |stated: .*unclear)/);
      }
    }
  });

  it('gives each trial the overall rating the text states, which the review rule reproduces', () => {
    const stated = Object.fromEntries(
      BASELINE_TRIALS.map((t) => [t.study.label, t.study.riskOfBias.rob1Overall]),
    );
    expect(stated).toEqual({
      'Ben-Zeev 2018': 'low',
      'Cook 2012a': 'low',
      'Cook 2012b': 'unclear',
      'Eisen 2012': 'unclear',
      'Kaplan 2011': 'unclear',
      'Corrigan 2015': 'high',
      'Rüsch 2014': 'high',
      'Russinova 2014': 'unclear',
    });
    for (const trial of BASELINE_TRIALS) {
      const ratings = Object.fromEntries(
        ROB1_DOMAINS.map((domain) => [domain, trial.study.riskOfBias.rob1?.[domain].rating as RobRating]),
      ) as Record<(typeof ROB1_DOMAINS)[number], RobRating>;
      expect(overallRob1(ratings).rating).toBe(trial.study.riskOfBias.rob1Overall);
    }
  });

  it('links five trials to Metapsy studies that exist in the data and leaves three awaiting data', () => {
    const batch = readMetapsy(metapsyText(), { document: 'data.csv', config: groupPeerSupportExtraction });
    const withArmRows = new Set(
      batch.studies
        .filter((study) => batch.rows.some((row) => row.studyId === study.id && row.status === 'usable'))
        .map((study) => study.label),
    );
    const status = Object.fromEntries(
      BASELINE_TRIALS.map((trial) => [trial.study.label, baselineDataStatus(trial, withArmRows).status]),
    );
    expect(status).toEqual({
      'Ben-Zeev 2018': 'awaiting extracted data',
      'Cook 2012a': 'extracted',
      'Cook 2012b': 'extracted',
      'Eisen 2012': 'awaiting extracted data',
      'Kaplan 2011': 'extracted',
      'Corrigan 2015': 'awaiting extracted data',
      'Rüsch 2014': 'extracted',
      'Russinova 2014': 'extracted',
    });
  });
});
