import { describe, expect, it } from 'vitest';
import { mapSourceOutcome, scopeOf } from '#shared/extraction/outcome-map.ts';
import { classifyTimepoint, durationInWeeks } from '#shared/extraction/timepoint.ts';
import {
  groupPeerSupportScope,
  groupPeerSupportOutcomeMap as map,
} from '#test/support/group-peer-support.ts';

describe('mapping Metapsy outcomes to the review outcomes', () => {
  it.each([
    ['Recovery - global', 'RAS - total', 'recovery', true],
    ['Hope', 'Hope Scale', 'hope', true],
    ['Empowerment/Self-efficacy', 'Boston Empowerment Scale', 'empowerment', true],
    ['Empowerment/Self-efficacy', 'Mental Health Confidence Scale -total score', 'self-efficacy', true],
    ['Global severity', 'Brief Symptom Inventory - Global', 'global symptoms', false],
    ['Global symptoms', 'HSCL-25', 'global symptoms', false],
    ['Depression', 'CES-D', 'depression', false],
    ['QoL', 'WHOQOL -total', 'quality of life', true],
  ])('maps %s (%s) to %s', (subcategory, instrument, outcome, higherIsBetter) => {
    expect(mapSourceOutcome(map, { category: null, subcategory, instrument })).toEqual({
      outcome,
      higherIsBetter,
    });
  });

  it('ignores case and surrounding spaces in the subcategory', () => {
    expect(
      mapSourceOutcome(map, { category: null, subcategory: ' recovery - GLOBAL ', instrument: 'RAS' })
        ?.outcome,
    ).toBe('recovery');
  });

  it('maps outcomes the review does not analyse to nothing', () => {
    expect(
      mapSourceOutcome(map, {
        category: null,
        subcategory: 'Loneliness',
        instrument: 'UCLA Loneliness Scale (LS)',
      }),
    ).toBeNull();
  });

  it('lets an instrument rule override its outcome’s direction', () => {
    const custom = {
      ...map,
      instrumentDirections: [{ instrument: /^Reversed/, higherIsBetter: false, source: 'test' }],
    };
    expect(
      mapSourceOutcome(custom, { category: null, subcategory: 'Hope', instrument: 'Reversed hope scale' })
        ?.higherIsBetter,
    ).toBe(false);
  });
});

describe('the review scope', () => {
  it('pools group-format studies and keeps the others out with the reason', () => {
    expect(scopeOf(groupPeerSupportScope, 'group').inScope).toBe(true);
    expect(scopeOf(groupPeerSupportScope, 'individual')).toMatchObject({ inScope: false });
    expect(scopeOf(groupPeerSupportScope, 'mixed').reason).toMatch(/^mixed format is outside the scope/);
    expect(scopeOf(groupPeerSupportScope, null).reason).toMatch(/^format not reported/);
  });
});

describe('classing timepoints as the review did', () => {
  it('classes post-treatment measures as post', () => {
    expect(classifyTimepoint('post', 12, null)).toEqual({ timepoint: 'post' });
  });

  it('classes follow-ups within 52 weeks of randomisation as short-term', () => {
    expect(classifyTimepoint('fu', 52, null)).toEqual({ timepoint: 'short-term' });
  });

  it('uses the treatment duration for later follow-ups', () => {
    expect(classifyTimepoint('fu', 78, durationInWeeks('6 months'))).toEqual({ timepoint: 'short-term' });
    expect(classifyTimepoint('follow-up', 120, durationInWeeks('12 weeks'))).toEqual({
      timepoint: 'long-term',
    });
  });

  it('leaves a late follow-up unclassified when the duration is not a plain number, saying why', () => {
    const result = classifyTimepoint('fu', 104, durationInWeeks('4 months (FU1), 12 months (FU2)'));
    expect(result.timepoint).toBeNull();
    expect('why' in result && result.why).toMatch(/treatment duration unknown/);
  });

  it('reads plain durations in weeks, months and years', () => {
    expect([durationInWeeks('8 weeks'), durationInWeeks('2,5 months'), durationInWeeks('1 year')]).toEqual([
      8, 10.833333333333334, 52,
    ]);
  });
});
