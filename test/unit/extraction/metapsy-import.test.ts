import { beforeAll, describe, expect, it } from 'vitest';
import { importExtraction } from '#shared/extraction/import.ts';
import type { ArmOutcomeRow, EffectOutcomeRow, OutcomeRow, Study } from '#shared/extraction/model.ts';
import { metapsyText } from '#test/support/extraction-fixtures.ts';
import { MemoryExtractionStore } from '#test/support/extraction-store.ts';
import { groupPeerSupportExtraction as config } from '#test/support/group-peer-support.ts';

/** Counts straight from the file's lines, independent of the reader (the fixture has no quoted separators). */
function independentCounts(text: string) {
  const [header = '', ...lines] = text.split('\n').filter((line) => line.trim() !== '');
  const columns = header.split(';').map((name) => name.replaceAll('"', ''));
  const cell = (line: string, column: string) =>
    line.split(';')[columns.indexOf(column)]?.replaceAll('"', '');
  const armColumns = ['mean_arm1', 'sd_arm1', 'n_arm1', 'mean_arm2', 'sd_arm2', 'n_arm2'];
  const complete = lines.filter((line) => armColumns.every((column) => cell(line, column) !== 'NA'));
  const unmappedSubcategories = ['Loneliness', 'Functioning'];
  return {
    rows: lines.length,
    studies: new Set(lines.map((line) => cell(line, 'study'))).size,
    complete: complete.length,
    completeButUnmapped: complete.filter((line) =>
      unmappedSubcategories.includes(cell(line, 'outcome_subcategory') ?? ''),
    ).length,
  };
}

describe('importing the real Metapsy peer-support file', () => {
  const store = new MemoryExtractionStore();
  let summary: Awaited<ReturnType<typeof importExtraction>>;
  let studies: Study[];
  let rows: OutcomeRow[];
  const counts = independentCounts(metapsyText());

  beforeAll(async () => {
    summary = await importExtraction(metapsyText(), 'metapsy', { store, config, document: 'data.csv' });
    studies = await store.listStudies();
    rows = await store.listOutcomeRows();
  });

  const study = (label: string) => studies.find((s) => s.label === label);
  const arm = (label: string, instrument: string, role: 'intervention' | 'control') =>
    rows.find(
      (row): row is ArmOutcomeRow =>
        row.status === 'usable' &&
        study(label)?.id === row.studyId &&
        row.instrument === instrument &&
        row.role === role,
    );

  it('stores one study per distinct study label in the file', () => {
    expect(counts.studies).toBe(28);
    expect(studies).toHaveLength(counts.studies);
    expect(summary.studies).toBe(counts.studies);
  });

  it('reports the one column outside the Metapsy standard as ignored', () => {
    expect(summary.ignoredColumns).toEqual(['rob']);
  });

  it('turns each complete, mapped comparison into two arm rows and keeps every other row set aside', () => {
    const usable = rows.filter((row) => row.status === 'usable');
    // Rows with only a precalculated effect are kept as such; arm-level pooling sets them aside with the others.
    const setAside = rows.filter((row) => row.status === 'not usable' || row.status === 'effect');
    expect(usable).toHaveLength(2 * (counts.complete - counts.completeButUnmapped));
    expect(setAside).toHaveLength(counts.rows - counts.complete + counts.completeButUnmapped);
    expect(usable.length / 2 + setAside.length).toBe(counts.rows);
    expect(summary.usableRows).toBe(usable.length);
    expect(summary.precalculatedEffects).toBe(rows.filter((row) => row.status === 'effect').length);
    expect(summary.notUsable).toHaveLength(setAside.length);
  });

  it('reads decimal commas, including long ones', () => {
    expect(arm('Kaplan 2011', 'Lehman’s quality of life (QOL)', 'intervention')).toMatchObject({
      mean: 4.41,
      sd: 0.696491205974634,
      n: 90,
    });
  });

  it('keeps Cook 2012a recovery arms with their means, SDs, Ns, timepoint and comparator', () => {
    expect(arm('Cook 2012a', 'RAS - total', 'intervention')).toMatchObject({
      outcome: 'recovery',
      timepoint: 'post',
      weeks: 2,
      higherIsBetter: true,
      arm: 'Peer support',
      controlType: null,
      mean: 92.9,
      sd: 14.2,
      n: 222,
    });
    expect(arm('Cook 2012a', 'RAS - total', 'control')).toMatchObject({
      arm: 'WL',
      controlType: 'wait-list',
      mean: 90,
      sd: 13.7,
      n: 231,
    });
  });

  it('repairs the doubly decoded "RÃ¼sch" to "Rüsch" and maps its empowerment scale', () => {
    expect(studies.some((s) => s.label.includes('Ã'))).toBe(false);
    expect(study('Rüsch 2014')).toMatchObject({ id: 'rusch-2014', authors: ['Rüsch'], year: 2014 });
    expect(arm('Rüsch 2014', 'Empowerment Scale', 'intervention')).toMatchObject({
      outcome: 'empowerment',
      weeks: 0.7,
      mean: 2.91,
      sd: 0.3,
      n: 39,
    });
  });

  it('repairs double-decoded punctuation in instrument names', () => {
    const instruments = rows.map((row) => row.instrument);
    expect(instruments).toContain('GAF—Global Assessment of Functioning');
    expect(instruments).toContain('Lehman’s quality of life (QOL)');
    expect(instruments.some((name) => name.includes('â€'))).toBe(false);
  });

  it('aligns symptom scales as lower is better', () => {
    expect(arm('Russinova 2014', 'CES-D', 'intervention')).toMatchObject({
      outcome: 'depression',
      higherIsBetter: false,
      mean: 21.59,
    });
  });

  it('keeps a row carrying only a precalculated g as an effect, saying why arm-level pooling cannot use it', () => {
    const dennis = rows.find(
      (row): row is EffectOutcomeRow =>
        row.status === 'effect' && row.studyId === 'dennis-2003' && row.instrument === 'EPDS',
    );
    expect(dennis).toMatchObject({ outcome: 'depression', timepoint: 'post' });
    expect(dennis?.reason).toMatch(
      /^not usable for arm-level pooling: dich outcome; .*precalculated Hedges' g/,
    );
    expect(dennis?.reported).toMatchObject({ precalc_g: 0.059, precalc_g_se: 0.243 });
    // The effect is the file's own .g and .g_se, as its basis says.
    expect([dennis?.yi, dennis?.sei]).toEqual([dennis?.reported['.g'], dennis?.reported['.g_se']]);
    expect(dennis?.basis).toMatch(/^the file's \.g and \.g_se/);
  });

  it('keeps a row whose means are NA, naming the missing columns', () => {
    const sf36 = rows.find((row) => row.studyId === 'corrigan-2017' && row.instrument === 'SF-36 - POOLED');
    expect(sf36).toMatchObject({ status: 'effect', outcome: 'quality of life' });
    expect(sf36?.status === 'effect' && sf36.reason).toContain(
      'mean_arm1, sd_arm1, mean_arm2, sd_arm2 missing',
    );
  });

  it('stores individual-format studies as out of scope with the reason, and group ones in scope', () => {
    expect(study('Corrigan 2017')).toMatchObject({ inScope: false });
    expect(study('Corrigan 2017')?.scopeReason).toMatch(/^individual format is outside the scope/);
    expect(study('Rivera 2007')?.inScope).toBe(false);
    expect(study('Kaplan 2011')?.inScope).toBe(true);
    expect(summary.outOfScope.map((entry) => entry.study)).toContain('Corrigan 2017');
  });

  it('summarises result-level RoB 2 per study, saying when a domain varies between results', () => {
    expect(study('Johnson 2018')?.riskOfBias.rob2?.domains.measurementOfTheOutcome).toBe('varies by result');
    expect(study('Rüsch 2014')?.riskOfBias.rob2).toEqual({
      domains: {
        randomisationProcess: 'low',
        deviationsFromIntendedInterventions: 'low',
        missingOutcomeData: 'high',
        measurementOfTheOutcome: 'some concerns',
        selectionOfTheReportedResult: 'some concerns',
      },
      overall: 'high',
    });
  });

  it('reads study characteristics the file gives and leaves the rest unknown', () => {
    expect(study('Griffiths 2012')?.characteristics).toEqual({
      coded: { interventionCategory: null, structured: 'no', severeMentalHealthConditions: 'no' },
      comparators: ['other'],
      country: 'Australia',
      nRandomised: null,
      format: 'group',
    });
  });

  it('gives trials the 2021 review included its own coding, keeping the file’s RoB 2', () => {
    const kaplan = study('Kaplan 2011');
    expect(kaplan?.characteristics).toEqual({
      coded: { interventionCategory: 'mutual support', structured: 'no', severeMentalHealthConditions: 'no' },
      comparators: ['tau'],
      country: 'USA',
      nRandomised: 300,
      format: 'group',
    });
    expect(kaplan?.riskOfBias.rob1Overall).toBe('unclear');
    expect(kaplan?.riskOfBias.rob2?.overall).toBe('some concerns');
    expect(kaplan?.provenance).toMatchObject({ source: 'metapsy', row: 32 });
    expect(kaplan?.provenance.characteristics).toMatch(/^Lyons, Cooper & Lloyd-Evans 2021, Table 1/);
    expect(study('Rüsch 2014')?.characteristics.coded.severeMentalHealthConditions).toBe('no');
  });

  it('warns that most post-treatment time_weeks values are shorter than the treatment itself', () => {
    expect(summary.warnings.find((warning) => warning.startsWith('time_weeks'))).toMatch(
      /for 53 post-treatment row\(s\) \(rows 1, 3, 4,/,
    );
  });

  it('warns where the file’s own effect sign contradicts the configured direction', () => {
    expect(summary.warnings.some((warning) => warning.startsWith('row 16 (Davidson 2004'))).toBe(true);
  });
});
