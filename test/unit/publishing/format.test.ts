import { describe, expect, it } from 'vitest';
import {
  formatArmValue,
  formatChi2,
  formatEstimate,
  formatI2,
  formatInterval,
  formatP,
  formatPStatement,
  formatRevManP,
  formatRevManPStatement,
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

  it('prints P as RevMan 5 does: 2, 3 or 4 decimals, then "< 0.0001" and "< 0.00001"', () => {
    expect(formatRevManP(0.8679)).toBe('0.87');
    expect(formatRevManP(0.0123)).toBe('0.01');
    expect(formatRevManP(0.0064)).toBe('0.006');
    expect(formatRevManP(0.00062)).toBe('0.0006');
    expect(formatRevManP(0.00012)).toBe('0.0001');
    expect(formatRevManP(0.00009)).toBe('< 0.0001');
    expect(formatRevManP(0.0000099)).toBe('< 0.00001');
    expect(formatRevManPStatement(0.0006)).toBe('P = 0.0006');
    expect(formatRevManPStatement(1e-9)).toBe('P < 0.00001');
  });

  it('prints arm means and SDs with at most 2 decimals and no trailing zeros', () => {
    expect(formatArmValue(21.6)).toBe('21.6');
    expect(formatArmValue(3.2133333)).toBe('3.21');
    expect(formatArmValue(15)).toBe('15');
    expect(formatArmValue(-1.75)).toBe('\u22121.75');
    expect(formatArmValue(-0.001)).toBe('0');
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
