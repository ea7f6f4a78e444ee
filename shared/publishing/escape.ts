/**
 * Escaping for every text that came from a source, an import or the model. HTML and XML share one rule set:
 * the five characters that can end a text node or an attribute value. `]]>` is harmless once `>` is escaped.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Control characters XML 1.0 forbids outright; dropped so a stray byte cannot make the feed unparseable. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids.
const FORBIDDEN_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Safe inside HTML text and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(FORBIDDEN_IN_XML, '').replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** Safe inside XML (SVG, Atom) text and attribute values. */
export const escapeXml = escapeHtml;
