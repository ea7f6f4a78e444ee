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
  // Open element names as [start, end) offsets into xml: no string is made for a name unless it is reported.
  const open: number[] = [];
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
      const openEnd = open.pop();
      const openStart = open.pop();
      if (openStart === undefined || openEnd === undefined) {
        return `</${xml.slice(nameStart, nameEnd)}> at offset ${at} closes nothing`;
      }
      if (!sameName(xml, openStart, openEnd, nameStart, nameEnd)) {
        return `</${xml.slice(nameStart, nameEnd)}> at offset ${at} where </${xml.slice(openStart, openEnd)}> was expected`;
      }
    } else if (xml.charCodeAt(close - 1) !== SLASH) {
      open.push(nameStart, nameEnd);
    }
    at = xml.indexOf('<', close + 1);
  }
  const lastStart = open.at(-2);
  return lastStart === undefined ? undefined : `<${xml.slice(lastStart, open.at(-1))}> is never closed`;
}

function sameName(xml: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let offset = 0; offset < aEnd - aStart; offset += 1) {
    if (xml.charCodeAt(aStart + offset) !== xml.charCodeAt(bStart + offset)) return false;
  }
  return true;
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
