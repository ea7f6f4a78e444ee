import { describe, expect, it } from 'vitest';
import { repairDoubleDecoded } from '#shared/extraction/cells.ts';
import { parseDelimited } from '#shared/text/delimited.ts';

/** Makes mojibake the way a misreading tool does: UTF-8 bytes shown as Windows-1252, saved again. */
function doubleDecode(text: string): string {
  const high = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (byte >= 0x80 && byte < 0xa0 ? high[byte - 0x80] : String.fromCharCode(byte)))
    .join('');
}

describe('repairing text that was decoded twice', () => {
  it('repairs "RÃ¼sch" to "Rüsch"', () => {
    expect(repairDoubleDecoded('RÃ¼sch, 2014')).toBe('Rüsch, 2014');
  });

  it.each(['Lehman’s QoL', 'GAF—Global', 'Åsa Öberg', 'naïve café', 'Zürich – “quoted”'])(
    'restores "%s" after a Windows-1252 round trip',
    (original) => {
      expect(doubleDecode(original)).not.toBe(original);
      expect(repairDoubleDecoded(doubleDecode(original))).toBe(original);
    },
  );

  it.each(['Rüsch', 'é', 'Ångström', 'plain ASCII', '€ 5', 'emoji 🙂'])(
    'leaves correct text "%s" alone',
    (text) => {
      expect(repairDoubleDecoded(text)).toBe(text);
    },
  );

  it('repairs text that went through the round trip twice', () => {
    expect(repairDoubleDecoded(doubleDecode(doubleDecode('Rüsch')))).toBe('Rüsch');
  });
});

describe('splitting delimited text', () => {
  it('keeps quoted delimiters, doubled quotes and line breaks inside a field', () => {
    const records = parseDelimited('a;b\n"x;y";"say ""hi""\nthere"\r\n3;4\n', ';');
    expect(records.map((record) => record.cells.map((cell) => cell.text))).toEqual([
      ['a', 'b'],
      ['x;y', 'say "hi"\nthere'],
      ['3', '4'],
    ]);
    expect(records.map((record) => record.line)).toEqual([1, 2, 4]);
  });

  it('tells a quoted NA from a bare one', () => {
    const [record] = parseDelimited('NA;"NA"', ';');
    expect(record?.cells).toEqual([
      { text: 'NA', quoted: false },
      { text: 'NA', quoted: true },
    ]);
  });

  it('refuses a quote that never closes, naming its line', () => {
    expect(() => parseDelimited('a\n"open\nmore', ',')).toThrow('line 2: a quoted field is never closed');
  });
});
