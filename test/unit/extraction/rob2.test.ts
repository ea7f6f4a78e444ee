import { describe, expect, it } from 'vitest';
import { FileProblemsError } from '#shared/extraction/cells.ts';
import { readExtractionCsv, writeExtractionCsv } from '#shared/extraction/csv.ts';
import { isArmRow, type Rob2Rating } from '#shared/extraction/model.ts';
import { suggestedRob2Overall } from '#shared/extraction/rob.ts';
import { groupPeerSupportExtraction as config } from '#test/support/group-peer-support.ts';

const domains = (d1: Rob2Rating, d2: Rob2Rating, d3: Rob2Rating, d4: Rob2Rating, d5: Rob2Rating) => ({
  randomisationProcess: d1,
  deviationsFromIntendedInterventions: d2,
  missingOutcomeData: d3,
  measurementOfTheOutcome: d4,
  selectionOfTheReportedResult: d5,
});

describe("RoB 2's suggested overall judgement", () => {
  it('is low only when every domain is low, high when any is high, some concerns otherwise', () => {
    expect(suggestedRob2Overall(domains('low', 'low', 'low', 'low', 'low')).rating).toBe('low');
    expect(suggestedRob2Overall(domains('low', 'some concerns', 'low', 'low', 'low')).rating).toBe(
      'some concerns',
    );
    expect(suggestedRob2Overall(domains('some concerns', 'high', 'low', 'low', 'low'))).toEqual({
      rating: 'high',
      reason: 'high risk in deviationsFromIntendedInterventions',
    });
    expect(
      suggestedRob2Overall(domains('some concerns', 'some concerns', 'low', 'low', 'low')).reason,
    ).toMatch(/several may justify high overall/);
  });
});

const HEADER =
  'study,year,format,rob2_randomisation,rob2_deviations,rob2_missing_data,rob2_measurement,rob2_selection,rob2_overall,' +
  'rob2_randomisation_support,rob2_overall_reason,outcome,timepoint,instrument,arm,role,control_type,mean,sd,n';
const file = (overall: string, reason: string) =>
  [
    HEADER,
    `Trial 2020,2020,group,low,some concerns,some concerns,low,low,${overall},"Central allocation, sealed",${reason},recovery,post,QPR,Peer group,intervention,,57.5,16,58`,
    `Trial 2020,2020,group,low,some concerns,some concerns,low,low,${overall},"Central allocation, sealed",${reason},recovery,post,QPR,Usual care,control,tau,55,16.5,57`,
  ].join('\n');
const read = (text: string) => readExtractionCsv(text, { document: 'rob2.csv', config });

describe('RoB 2 in the extraction CSV', () => {
  it('keeps the support text and takes the suggested overall without a reason', () => {
    const [study] = read(file('some concerns', '')).studies;
    expect(study?.riskOfBias.rob2?.overall).toBe('some concerns');
    expect(study?.riskOfBias.rob2Notes).toEqual({
      support: { randomisationProcess: 'Central allocation, sealed' },
    });
  });

  it('refuses an overall judgement that departs from the algorithm without a reason, naming the column', () => {
    let error: unknown;
    try {
      read(file('high', ''));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FileProblemsError);
    expect((error as FileProblemsError).problems[0]).toMatchObject({ column: 'rob2_overall_reason' });
    expect((error as Error).message).toContain('departs from the RoB 2 algorithm\'s "some concerns"');
  });

  it('takes a departure with its reason, and writes both back so the file reads the same', () => {
    const batch = read(file('high', 'two domains with concerns about the same missing outcome data'));
    expect(batch.studies[0]?.riskOfBias.rob2Notes?.overallReason).toBe(
      'two domains with concerns about the same missing outcome data',
    );
    const again = read(
      writeExtractionCsv(batch.studies, batch.rows.filter(isArmRow), config.characteristics),
    );
    expect(again.studies[0]?.riskOfBias).toEqual(batch.studies[0]?.riskOfBias);
  });
});
