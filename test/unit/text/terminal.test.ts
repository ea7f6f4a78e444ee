import { describe, expect, it } from 'vitest';
import { forTerminal, terminalSafeJson } from '#shared/text/terminal.ts';

const ESC = '\u001b';
const BEL = '\u0007';

describe('forTerminal', () => {
  it('drops an OSC 52 clipboard write, ended by BEL or by ST', () => {
    expect(forTerminal(`Peer support${ESC}]52;c;Y3VybCBldmlsIHwgc2g=${BEL} groups`)).toBe(
      'Peer support groups',
    );
    expect(forTerminal(`Peer support${ESC}]52;c;Y3VybA==${ESC}\\ groups`)).toBe('Peer support groups');
  });

  it('drops CSI sequences (cursor movement, erasing, colours) in both their forms', () => {
    expect(forTerminal(`Trial${ESC}[2K${ESC}[1A${ESC}[31;1m results`)).toBe('Trial results');
    expect(forTerminal('Trial\u009b2J results')).toBe('Trial results');
  });

  it('drops an OSC 8 hyperlink but keeps the text it was wrapped around', () => {
    expect(forTerminal(`${ESC}]8;;https://evil.example${ESC}\\Cochrane${ESC}]8;;${ESC}\\`)).toBe('Cochrane');
  });

  it('drops every other C0 and C1 control and DEL, keeping tab, line feed and CRLF', () => {
    expect(forTerminal('a\u0000b\u0008c\u000bd\u007fe\u0085f\u009cg')).toBe('abcdefg');
    expect(forTerminal('id\ttitle\r\nnext\nline')).toBe('id\ttitle\r\nnext\nline');
    expect(forTerminal('real title\rfake title')).toBe('real titlefake title');
    expect(forTerminal(`unterminated ${ESC}]52;c;abc`)).toBe('unterminated ]52;c;abc');
  });

  it('leaves ordinary text, accents and other scripts alone', () => {
    const text = 'Rüsch N, Dvořák P: 同伴支持 — «peer support» (n = 120)';
    expect(forTerminal(text)).toBe(text);
  });

  it('takes linear time on many unterminated introducers', () => {
    // Each attempt stops at the next introducer; a body running to the end each time would be quadratic
    // (minutes for this input), while linear takes milliseconds: a bound of seconds holds on any machine.
    const hostile = '\u009d'.repeat(200_000) + `${ESC}]`.repeat(100_000);
    const start = performance.now();
    expect(forTerminal(hostile)).toBe(']'.repeat(100_000));
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('terminalSafeJson', () => {
  it('escapes C1 controls and DEL, so the document carries the same data and no raw control', () => {
    const value = { title: `a${ESC}]52;c;x${BEL}\u009b2Jb\u007f` };
    const json = terminalSafeJson(value, 2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the test
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
