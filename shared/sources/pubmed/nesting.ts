/**
 * A fast well-formedness check for what the lenient fast-xml-parser lets through: an end tag that does not close
 * the open element, an element never closed, a tag never finished. A hand scan with indexOf: no regex match
 * objects for the million or so tags of a batch.
 */
const SLASH = 47;
const BANG = 33;
const QUESTION = 63;

/** Returns why the fragment is not properly nested, or undefined when it is. */
export function nestingError(xml: string): string | undefined {
  const open: string[] = [];
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml.charCodeAt(at + 1);
    if (next === BANG || next === QUESTION) {
      const terminator = xml.startsWith('<!--', at)
        ? '-->'
        : xml.startsWith('<![CDATA[', at)
          ? ']]>'
          : next === QUESTION
            ? '?>'
            : '>';
      const end = xml.indexOf(terminator, at + 2);
      if (end === -1) return `markup at offset ${at} is never finished`;
      at = xml.indexOf('<', end + terminator.length);
      continue;
    }
    const close = xml.indexOf('>', at);
    if (close === -1) return `the tag at offset ${at} is never finished`;
    const closing = next === SLASH;
    const nameStart = closing ? at + 2 : at + 1;
    const nameEnd = nameEndOf(xml, nameStart, close);
    if (nameEnd === nameStart) return `a stray "<" at offset ${at}`;
    if (closing) {
      const expected = open.pop();
      if (expected === undefined) return `</${xml.slice(nameStart, nameEnd)}> at offset ${at} closes nothing`;
      if (nameEnd - nameStart !== expected.length || !xml.startsWith(expected, nameStart)) {
        return `</${xml.slice(nameStart, nameEnd)}> at offset ${at} where </${expected}> was expected`;
      }
    } else if (xml.charCodeAt(close - 1) !== SLASH) {
      open.push(xml.slice(nameStart, nameEnd));
    }
    at = xml.indexOf('<', close + 1);
  }
  return open.length > 0 ? `<${open.at(-1)}> is never closed` : undefined;
}

/** Where an element name starting at `start` ends: at whitespace, "/" or ">". */
function nameEndOf(xml: string, start: number, limit: number): number {
  let end = start;
  while (end < limit) {
    const code = xml.charCodeAt(end);
    if (code === SLASH || code <= 32) break;
    end += 1;
  }
  return end;
}
