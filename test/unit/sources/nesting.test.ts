import { describe, expect, it } from 'vitest';
import { nestingError } from '#shared/sources/pubmed/nesting.ts';

describe('nestingError', () => {
  it('accepts nested, self-closing and attributed elements, comments, CDATA and processing instructions', () => {
    expect(
      nestingError('<a x="1/2"><b/><c y=\'z\'>t &amp; u<!-- <d> --><![CDATA[<e>]]><?pi x?></c><br /></a>'),
    ).toBeUndefined();
  });

  it('names an end tag that closes the wrong element', () => {
    expect(nestingError('<a><b>x</a></b>')).toBe('</a> at offset 7 where </b> was expected');
  });

  it('names an element that is never closed and an end tag that closes nothing', () => {
    expect(nestingError('<a><b>x</b>')).toBe('<a> is never closed');
    expect(nestingError('<a></a></b>')).toBe('</b> at offset 7 closes nothing');
  });

  it('refuses a stray "<" and a tag cut short', () => {
    expect(nestingError('<a>1 < 2</a>')).toBe('a stray "<" at offset 5');
    expect(nestingError('<a><b attr="x')).toBe('the tag at offset 3 is never finished');
    expect(nestingError('<a><!-- open')).toBe('markup at offset 3 is never finished');
  });

  it('tells elements apart whose names share a prefix', () => {
    expect(nestingError('<Section><Sections></Section></Sections>')).toMatch(
      /where <\/Sections> was expected/,
    );
  });
});
