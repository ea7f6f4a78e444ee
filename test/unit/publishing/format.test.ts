import { describe, expect, it } from 'vitest';
import {
  formatChi2,
  formatEstimate,
  formatI2,
  formatInterval,
  formatP,
  formatPStatement,
  formatWeight,
} from '#shared/publishing/format.ts';

describe('number formatting', () => {
  it('prints estimates to 2 decimals with a typographic minus, as the review does', () => {
    expect(formatEstimate(0.1849)).toBe('0.18');
    expect(formatEstimate(-0.134)).toBe('\u22120.13');
  });

  it('never prints a negative zero', () => {
    expect(formatEstimate(-0.0004)).toBe('0.00');
  });

  it('prints a confidence interval as "lower to upper"', () => {
    expect(formatInterval([-0.27, 0.01])).toBe('\u22120.27 to 0.01');
  });

  it('prints p to 2 decimals, 3 below 0.01 and "< 0.001" below that', () => {
    expect(formatP(0.5)).toBe('0.50');
    expect(formatP(0.07)).toBe('0.07');
    expect(formatP(0.0021)).toBe('0.002');
    expect(formatP(0.00004)).toBe('< 0.001');
    expect(formatPStatement(0.00004)).toBe('p < 0.001');
    expect(formatPStatement(0.17)).toBe('p = 0.17');
  });

  it('prints I² as a whole percentage', () => {
    expect(formatI2(54.6)).toBe('55%');
    expect(formatI2(0)).toBe('0%');
  });

  it('prints Chi² to 2 decimals with its degrees of freedom', () => {
    expect(formatChi2(4.006, 4).replaceAll('\u00a0', ' ')).toBe('Chi² = 4.01, df = 4');
  });

  it('prints weights to one decimal', () => {
    expect(formatWeight(12.345)).toBe('12.3%');
  });
});
