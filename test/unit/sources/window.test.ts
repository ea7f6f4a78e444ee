import { describe, expect, it } from 'vitest';
import { InputError } from '#shared/errors.ts';
import { nextWindow, splitWindow, windowDays } from '#shared/sources/window.ts';

const now = new Date('2026-11-21T13:05:00Z');

describe('nextWindow', () => {
  it('starts a first run at the review last search date and ends today', () => {
    expect(nextWindow({ firstSearchDate: '2019-07-12', overlapDays: 3, now })).toEqual({
      from: '2019-07-12',
      until: '2026-11-21',
    });
  });

  it('starts a later run the overlap before the watermark', () => {
    expect(
      nextWindow({ watermark: '2026-03-02', firstSearchDate: '2019-07-12', overlapDays: 3, now }),
    ).toEqual({
      from: '2026-02-27',
      until: '2026-11-21',
    });
  });

  it('refuses a watermark that is not a calendar date', () => {
    expect(() =>
      nextWindow({ watermark: '2026-02-30', firstSearchDate: '2019-07-12', overlapDays: 3, now }),
    ).toThrow(InputError);
  });

  it('refuses a negative overlap', () => {
    expect(() => nextWindow({ firstSearchDate: '2019-07-12', overlapDays: -1, now })).toThrow(/overlap/);
  });

  it('refuses a watermark in the future', () => {
    expect(() =>
      nextWindow({ watermark: '2027-01-10', firstSearchDate: '2019-07-12', overlapDays: 3, now }),
    ).toThrow(/starts after it ends/);
  });
});

describe('splitWindow', () => {
  it('covers every day exactly once across the two halves', () => {
    const window = { from: '2019-07-12', until: '2026-11-21' };
    const halves = splitWindow(window);
    expect(halves).toBeDefined();
    const [first, second] = halves ?? [];
    expect(first?.from).toBe(window.from);
    expect(second?.until).toBe(window.until);
    expect(windowDays(first ?? window) + windowDays(second ?? window)).toBe(windowDays(window));
    expect(Date.parse(second?.from ?? '') - Date.parse(first?.until ?? '')).toBe(86_400_000);
  });

  it('splits two days into one day each and a single day not at all', () => {
    expect(splitWindow({ from: '2024-02-28', until: '2024-02-29' })).toEqual([
      { from: '2024-02-28', until: '2024-02-28' },
      { from: '2024-02-29', until: '2024-02-29' },
    ]);
    expect(splitWindow({ from: '2024-02-29', until: '2024-02-29' })).toBeUndefined();
  });
});
