import { describe, expect, it } from 'vitest';
import { citationParts } from '#shared/extraction/model.ts';

/** The regex citationParts replaced: correct but quadratic on a long run of spaces. The loop must agree with it. */
function byRegex(label: string): { author: string; year: number | null } {
  const match = label.trim().match(/^(.*?)[\s,]+(\d{4})[a-z]?$/);
  return match?.[1] && match[2]
    ? { author: match[1], year: Number(match[2]) }
    : { author: label.trim(), year: null };
}

describe('citationParts', () => {
  it.each([
    'Cook 2012a',
    'Cook, 2012',
    '  Rüsch et al.,  2014b ',
    'Smith 1999 2012',
    'Cook 12345',
    'Cook2012',
    'Cook 2012ab',
    '2012',
    ' , 2012',
    'Cook',
    'Cook 20123',
    'Van der Berg\t2020',
    '',
  ])('reads %j as the regex did', (label) => {
    expect(citationParts(label)).toEqual(byRegex(label));
  });

  it('reads a label with 200k spaces before its year in linear time', () => {
    // The regex took minutes here; the loop takes milliseconds, so a bound of seconds holds on any machine.
    const start = performance.now();
    expect(citationParts(`Cook${' '.repeat(200_000)}x`)).toEqual({
      author: `Cook${' '.repeat(200_000)}x`,
      year: null,
    });
    expect(citationParts(`Cook${' '.repeat(200_000)}2012`)).toEqual({ author: 'Cook', year: 2012 });
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
