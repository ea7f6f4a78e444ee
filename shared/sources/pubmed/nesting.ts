/**
 * A fast well-formedness check for what the lenient fast-xml-parser lets through: an end tag that does not close
 * the open element, or an element never closed. One regex pass over the tags, a fraction of a full validation.
 */
const MARKUP =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^>]*?)?(\/?)>|</g;

/** Returns why the fragment is not properly nested, or undefined when it is. */
export function nestingError(xml: string): string | undefined {
  const open: string[] = [];
  MARKUP.lastIndex = 0;
  for (let match = MARKUP.exec(xml); match !== null; match = MARKUP.exec(xml)) {
    const [whole, closing, name, selfClosing] = match;
    if (name === undefined) {
      if (whole === '<') return `a stray "<" at offset ${match.index}`;
      continue;
    }
    if (selfClosing) continue;
    if (!closing) {
      open.push(name);
      continue;
    }
    const expected = open.pop();
    if (expected !== name) {
      return expected === undefined
        ? `</${name}> at offset ${match.index} closes nothing`
        : `</${name}> at offset ${match.index} where </${expected}> was expected`;
    }
  }
  return open.length > 0 ? `<${open.at(-1)}> is never closed` : undefined;
}
