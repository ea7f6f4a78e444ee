import { describe, expect, it } from 'vitest';
import { importExtraction } from '#shared/extraction/import.ts';
import { readMetapsy } from '#shared/extraction/metapsy.ts';
import { MemoryExtractionStore } from '#test/support/extraction-store.ts';
import { groupPeerSupportExtraction as config } from '#test/support/group-peer-support.ts';

const COLUMNS = [
  '',
  'study',
  'outcome_subcategory',
  'condition_arm1',
  'condition_arm2',
  'multi_arm1',
  'multi_arm2',
  'instrument',
  'time',
  'time_weeks',
  'duration_int',
  'format',
  'mean_arm1',
  'sd_arm1',
  'n_arm1',
  'mean_arm2',
  'sd_arm2',
  'n_arm2',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

const defaults: Row = {
  study: '"Trial, 2021"',
  outcome_subcategory: '"Recovery - global"',
  condition_arm1: '"Peer support"',
  condition_arm2: '"CAU"',
  instrument: '"RAS - total"',
  time: '"post"',
  time_weeks: '10',
  format: '"Group"',
  mean_arm1: '80,5',
  sd_arm1: '12',
  n_arm1: '40',
  mean_arm2: '78',
  sd_arm2: '11,5',
  n_arm2: '41',
};

function metapsyFile(rows: Row[]): string {
  const lines = rows.map((row, i) =>
    COLUMNS.map((column) => (column === '' ? `"${i + 1}"` : ({ ...defaults, ...row }[column] ?? 'NA'))).join(
      ';',
    ),
  );
  return [COLUMNS.map((column) => `"${column}"`).join(';'), ...lines].join('\n');
}
const read = (rows: Row[]) => readMetapsy(metapsyFile(rows), { document: 'test.csv', config });

describe('Metapsy comparisons to arm rows', () => {
  it('keeps a shared intervention arm once when a multi-arm trial has two comparison rows', () => {
    const { rows } = read([
      { condition_arm2: '"CAU"', multi_arm2: '"usual care"' },
      {
        condition_arm2: '"Other"',
        multi_arm2: '"clinician-led group"',
        mean_arm2: '79',
        sd_arm2: '10',
        n_arm2: '39',
      },
    ]);
    expect(rows.map((row) => row.status === 'usable' && [row.arm, row.role, row.controlType])).toEqual([
      ['Peer support', 'intervention', null],
      ['CAU (usual care)', 'control', 'tau'],
      ['Other (clinician-led group)', 'control', 'other'],
    ]);
  });

  it('refuses two comparison rows that give the shared arm different numbers', () => {
    expect(() => read([{ multi_arm2: '"a"' }, { multi_arm2: '"b"', mean_arm1: '81' }])).toThrow(
      'row 2, column "(whole row)": repeats the study, outcome, time, weeks, instrument and arm of row 1 with different values',
    );
  });

  it('classes follow-up rows by weeks and keeps unplaceable ones with the reason', () => {
    const { rows } = read([
      { time: '"fu"', time_weeks: '26' },
      { time: '"fu"', time_weeks: '120', duration_int: '"12 weeks"' },
      { time: '"fu"', time_weeks: '120', duration_int: '"unclear"', instrument: '"RAS - other"' },
    ]);
    expect(rows.map((row) => row.timepoint)).toEqual([
      'short-term',
      'short-term',
      'long-term',
      'long-term',
      null,
    ]);
    const last = rows.at(-1);
    expect(last?.status === 'not usable' && last.reason).toMatch(/treatment duration unknown/);
  });

  it('warns once about post-treatment weeks shorter than half the treatment, storing them as given', () => {
    const { rows, warnings } = read([
      { time_weeks: '2', duration_int: '"2 months"' },
      { time_weeks: '8', duration_int: '"8 weeks"', instrument: '"QPR"' },
    ]);
    expect(rows.map((row) => row.weeks)).toEqual([2, 2, 8, 8]);
    expect(warnings).toEqual([
      'time_weeks is under half the treatment duration (duration_int) for 1 post-treatment row(s) (rows 1); the values may not be in weeks and are stored as given',
    ]);
  });

  it('stores an unknown comparator code as "other" and says so', () => {
    const { rows, warnings } = read([{ condition_arm2: '"psychoeducation"' }]);
    expect(rows[1]).toMatchObject({ status: 'usable', controlType: 'other' });
    expect(warnings).toEqual([
      'row 1 (Trial 2021): comparator "psychoeducation" is not a known code; stored as "other"',
    ]);
  });

  it('lists columns it does not use instead of dropping them silently', () => {
    const text = metapsyFile([{}]).replace('"n_arm2"', '"n_arm2";"sg"').replace(/41$/m, '41;"x"');
    expect(readMetapsy(text, { document: 'test.csv', config }).ignoredColumns).toEqual(['sg']);
  });
});

describe('the import use case', () => {
  it('replaces a re-imported study’s rows instead of keeping stale ones', async () => {
    const store = new MemoryExtractionStore();
    await importExtraction(metapsyFile([{}, { instrument: '"QPR"' }]), 'metapsy', { store, config });
    await importExtraction(metapsyFile([{ instrument: '"QPR"' }]), 'metapsy', { store, config });
    const rows = await store.listOutcomeRows();
    expect(rows.map((row) => row.instrument)).toEqual(['QPR', 'QPR']);
  });

  it('summarises studies, usable rows, rows set aside and studies out of scope', async () => {
    const store = new MemoryExtractionStore();
    const summary = await importExtraction(
      metapsyFile([{}, { study: '"Solo, 2020"', format: '"Individual"', mean_arm1: 'NA' }]),
      'metapsy',
      { store, config, document: 'test.csv' },
    );
    expect(summary).toMatchObject({
      format: 'metapsy',
      studies: 2,
      usableRows: 2,
      outOfScope: [{ study: 'Solo 2020' }],
      notUsable: [{ study: 'Solo 2020', instrument: 'RAS - total', row: 2 }],
    });
    expect(summary.notUsable[0]?.reason).toBe('not usable for arm-level pooling: mean_arm1 missing (NA)');
  });
});
