import { describe, expect, it } from 'vitest';
import { plainText } from '#shared/sources/plain-text.ts';

describe('plainText', () => {
  it('puts back the spaces NLM dropped around an emphasised word', () => {
    expect(plainText('Leucocyte telomere length, genetic variants at the<i>TERT</i>gene region')).toBe(
      'Leucocyte telomere length, genetic variants at the TERT gene region',
    );
  });

  it('keeps subscripts and superscripts glued to their word', () => {
    expect(plainText('OR<sub>Q3</sub>=4.15, r<sup>2</sup>&lt;0.25')).toBe('ORQ3=4.15, r2<0.25');
  });

  it('decodes decimal and hexadecimal character references and the XML entities', () => {
    expect(plainText('&#946;&#x3b1;&amp; &quot;x&quot; &apos;y&apos; &lt;&gt;')).toBe('βα& "x" \'y\' <>');
  });

  it('turns any run of whitespace, thin and no-break spaces included, into one space', () => {
    expect(plainText('a&#x2009;b \n\t c&#160;d')).toBe('a b c d');
  });

  it('keeps the text of CDATA sections, markup-like characters included', () => {
    expect(plainText('a <![CDATA[<b> & c]]> d')).toBe('a <b> & c d');
  });

  it('keeps text of misnested inline tags in document order', () => {
    expect(plainText('x <b>y <i>z</b> w</i> v')).toBe('x y z w v');
  });
});
