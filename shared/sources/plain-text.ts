/**
 * Turns a raw XML fragment (inline markup, MathML, character references) into plain text in document order.
 * Working on the raw fragment rather than a parsed tree keeps misnested inline tags from reordering or losing text.
 */
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
const COMMENT = /<!--[\s\S]*?-->/g;
const TAG = /<[^>]*>/g;
const MATH = /<(?:mml:)?math[\s>][\s\S]*?<\/(?:mml:)?math>/g;
const BETWEEN_TAGS = />\s+</g;
// NLM's XML sometimes drops the spaces around emphasised words ("at the<i>TERT</i>gene"); sub/sup stay glued.
const EMPHASIS = /<\/?(?:i|b|u|em|strong)>/g;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  });
}

function spaceIfGlued(tag: string, offset: number, whole: string): string {
  const glued =
    WORD_CHARACTER.test(whole[offset - 1] ?? '') && WORD_CHARACTER.test(whole[offset + tag.length] ?? '');
  return glued ? ' ' : tag;
}

export function plainText(fragment: string): string {
  let text = fragment;
  if (text.includes('<')) {
    text = text
      .replace(COMMENT, '')
      .replace(CDATA, (_, inner: string) => inner.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    // Inside MathML, whitespace between elements is layout only: V, ., O, 2max read as one token.
    text = text.replace(MATH, (math) => math.replace(BETWEEN_TAGS, '><'));
    text = text.replace(EMPHASIS, spaceIfGlued).replace(TAG, '');
  }
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}
