import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractionCsvColumns, readExtractionCsv, writeExtractionCsv } from '#shared/extraction/csv.ts';
import { importExtraction } from '#shared/extraction/import.ts';
import { readMetapsy } from '#shared/extraction/metapsy.ts';
import { isArmRow } from '#shared/extraction/model.ts';
import { metapsyText } from '#test/support/extraction-fixtures.ts';
import { MemoryExtractionStore } from '#test/support/extraction-store.ts';
import { groupPeerSupportExtraction as config } from '#test/support/group-peer-support.ts';

const HEADER =
  'study,year,country,format,intervention_category,structured,severe,n_randomised,' +
  'rob_sequence_generation,rob_allocation_concealment,rob_blinding_participants,rob_blinding_assessment,' +
  'rob_incomplete_outcome_data,rob_selective_reporting,rob_other,outcome,timepoint,weeks,instrument,arm,role,' +
  'control_type,mean,sd,n';
const STUDY =
  'Trial 2020,2020,UK,group,peer support group: self-management,yes,no,120,low,low,unclear,low,high,low,low';
const GOOD = [
  HEADER,
  `${STUDY},recovery,post,12,QPR,Peer group,intervention,,57.5,16,58`,
  `${STUDY},recovery,post,12,QPR,Usual care,control,tau,55,16.5,57`,
].join('\n');

const read = (text: string) => readExtractionCsv(text, { document: 'outcomes.csv', config });

describe("the project's own outcome CSV", () => {
  it('reads a study with its characteristics, RoB 1 and overall rating', () => {
    const [study] = read(GOOD).studies;
    expect(study?.characteristics).toEqual({
      coded: {
        interventionCategory: 'peer support group: self-management',
        structured: 'yes',
        severeMentalHealthConditions: 'no',
      },
      comparators: ['tau'],
      country: 'UK',
      nRandomised: 120,
      format: 'group',
    });
    expect(study?.riskOfBias.rob1Overall).toBe('high');
    expect(study?.inScope).toBe(true);
  });

  it('reads one arm per row, taking the direction from the outcome when the column is absent', () => {
    const { rows } = read(GOOD);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      studyId: 'trial-2020',
      outcome: 'recovery',
      timepoint: 'post',
      time: 'post',
      weeks: 12,
      higherIsBetter: true,
      arm: 'Usual care',
      role: 'control',
      controlType: 'tau',
      mean: 55,
      sd: 16.5,
      n: 57,
    });
  });

  it('round-trips the real Metapsy arm rows and studies through the CSV unchanged', () => {
    const metapsy = readMetapsy(metapsyText(), { document: 'data.csv', config });
    const arms = metapsy.rows.filter(isArmRow);
    const text = writeExtractionCsv(metapsy.studies, arms, config.characteristics);
    const again = read(text);
    const comparable = (row: (typeof arms)[number]) => {
      const { provenance: _p, rob2: _r, sourceOutcome: _s, ...rest } = row;
      return rest;
    };
    expect(again.rows.filter(isArmRow).map(comparable)).toEqual(arms.map(comparable));
    const studiesWithArms = metapsy.studies.filter((study) => arms.some((row) => row.studyId === study.id));
    expect(again.studies.map((study) => [study.label, study.riskOfBias.rob2, study.inScope])).toEqual(
      studiesWithArms.map((study) => [study.label, study.riskOfBias.rob2, study.inScope]),
    );
    // Written again, the data columns are the same; the provenance columns now name the CSV it was read from.
    const rewritten = writeExtractionCsv(again.studies, again.rows.filter(isArmRow), config.characteristics);
    expect(read(rewritten).rows.filter(isArmRow).map(comparable)).toEqual(arms.map(comparable));
    const [, firstLine] = text.split('\n');
    const firstArm = arms[0];
    expect(firstLine).toContain(`,metapsy,data.csv,${firstArm?.provenance.row},`);
  });

  it('quotes labels with commas and quotes so they read back the same', () => {
    const tricky = GOOD.replaceAll('Peer group', '"Peer ""group"", online"');
    const { studies, rows } = read(tricky);
    expect(rows[0]?.status === 'usable' && rows[0].arm).toBe('Peer "group", online');
    expect(read(writeExtractionCsv(studies, rows.filter(isArmRow), config.characteristics)).rows).toEqual(
      rows,
    );
  });

  it('writes the published data.csv with formula-like text neutralised and negative means as numbers', () => {
    const hostile = GOOD.replace('Peer group', '"=HYPERLINK(""http://evil.example"")"')
      .replace('Usual care', '@SUM(A1:A9)')
      .replace(',57.5,', ',-57.5,');
    const { studies, rows } = read(hostile);
    const written = writeExtractionCsv(studies, rows.filter(isArmRow), config.characteristics);
    const [, first, second] = written.trim().split('\n');
    expect(first).toContain(`,"'=HYPERLINK(""http://evil.example"")",intervention,,-57.5,16,58`);
    expect(second).toContain(",'@SUM(A1:A9),control,tau,55,16.5,57");
  });

  it.each([
    ['a negative SD', ['16', '-16'], 'row 1, column "sd": -16 must be greater than 0'],
    ['an arm of one', [',58', ',1'], 'row 1, column "n": 1 is below the minimum 2'],
    ['text in a number column', ['57.5', 'n/a'], 'row 1, column "mean": "n/a" is not a number'],
    [
      'an unknown outcome',
      ['recovery,post,12,QPR,Peer', 'wellbeing,post,12,QPR,Peer'],
      'row 1, column "outcome"',
    ],
    [
      'an intervention arm with a control type',
      ['intervention,,', 'intervention,tau,'],
      'row 1, column "control_type"',
    ],
  ])(
    'refuses %s, naming row and column, and stores nothing',
    async (_name, [from = '', to = ''], message) => {
      const lines = GOOD.split('\n');
      lines[1] = (lines[1] ?? '').replace(from, to);
      const store = new MemoryExtractionStore();
      await expect(
        importExtraction(lines.join('\n'), 'csv', { store, config, document: 'outcomes.csv' }),
      ).rejects.toThrow(message);
      expect(store.writes).toBe(0);
    },
  );

  it('refuses rows of one study that disagree on a study column', () => {
    const lines = GOOD.split('\n');
    lines[2] = (lines[2] ?? '').replace(',UK,', ',Ireland,');
    expect(() => read(lines.join('\n'))).toThrow('row 2, column "study columns": differ from row 1');
  });

  it('refuses a risk-of-bias group filled only in part', () => {
    expect(() => read(GOOD.replaceAll(',unclear,low,high,', ',,low,high,'))).toThrow(
      'fill every column of this risk-of-bias group or none',
    );
  });

  it('refuses a file without the required columns', () => {
    expect(() => read('study,score\nA,1\n')).toThrow(
      'missing column(s): outcome, timepoint, instrument, arm, role',
    );
  });

  describe('its documentation (docs/extraction-csv.md)', () => {
    const doc = readFileSync(new URL('../../../docs/extraction-csv.md', import.meta.url), 'utf8');

    it('documents every column the reader and writer use', () => {
      const undocumented = extractionCsvColumns(config.characteristics).filter(
        (column) => !doc.includes(`\`${column}\``),
      );
      expect(undocumented).toEqual([]);
    });

    it('gives an example that imports as written', () => {
      const example = doc.match(/```csv\n([\s\S]*?)```/)?.[1] ?? '';
      const { studies, rows } = read(example);
      expect([studies.length, rows.length]).toEqual([1, 2]);
    });
  });
});
