import { describe, expect, it } from 'vitest';
import { csvCell } from '#shared/text/csv-cell.ts';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['+cmd|/c calc', "'+cmd|/c calc"],
    ['-2+3+cmd|/c calc', "'-2+3+cmd|/c calc"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralises text a spreadsheet would run as a formula: %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('writes numbers as numbers, negative ones included', () => {
    expect(csvCell(-3.25)).toBe('-3.25');
    expect(csvCell(2020)).toBe('2020');
  });

  it('leaves ordinary text alone and quotes commas, quotes and line breaks', () => {
    expect(csvCell('Peer support (group)')).toBe('Peer support (group)');
    expect(csvCell('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvCell('')).toBe('');
  });
});
