import { describe, expect, it } from 'vitest';
import type { Rob1Domain, RobRating } from '#shared/extraction/model.ts';
import { overallRob1 } from '#shared/extraction/rob.ts';

const allLow: Record<Rob1Domain, RobRating> = {
  randomSequenceGeneration: 'low',
  allocationConcealment: 'low',
  blindingOfParticipantsAndPersonnel: 'low',
  blindingOfOutcomeAssessment: 'low',
  incompleteOutcomeData: 'low',
  selectiveReporting: 'low',
  otherBias: 'low',
};
const withRatings = (changes: Partial<Record<Rob1Domain, RobRating>>) => ({ ...allLow, ...changes });

describe('the review overall risk-of-bias rule', () => {
  it('rates a study low only when every domain is low', () => {
    expect(overallRob1(allLow).rating).toBe('low');
  });

  it.each([
    'randomSequenceGeneration',
    'allocationConcealment',
    'incompleteOutcomeData',
    'selectiveReporting',
  ] as const)('carries a high %s over to a high overall rating', (domain) => {
    const result = overallRob1(withRatings({ [domain]: 'high' }));
    expect(result).toEqual({ rating: 'high', reason: `high risk in key domain ${domain}` });
  });

  it.each([
    'randomSequenceGeneration',
    'allocationConcealment',
    'incompleteOutcomeData',
    'selectiveReporting',
  ] as const)('carries an unclear %s over to an unclear overall rating', (domain) => {
    expect(overallRob1(withRatings({ [domain]: 'unclear' })).rating).toBe('unclear');
  });

  it('lets a high key domain win over an unclear one', () => {
    const result = overallRob1(withRatings({ allocationConcealment: 'unclear', selectiveReporting: 'high' }));
    expect(result.rating).toBe('high');
  });

  it('does not carry a high blinding rating over, but no longer rates the study low', () => {
    const result = overallRob1(withRatings({ blindingOfOutcomeAssessment: 'high' }));
    expect(result.rating).toBe('unclear');
    expect(result.reason).toContain('blindingOfOutcomeAssessment');
  });

  it('rates a study with only unclear performance and other bias unclear, naming both', () => {
    const result = overallRob1(
      withRatings({ blindingOfParticipantsAndPersonnel: 'unclear', otherBias: 'unclear' }),
    );
    expect(result.rating).toBe('unclear');
    expect(result.reason).toContain('blindingOfParticipantsAndPersonnel, otherBias');
  });
});
