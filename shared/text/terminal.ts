// biome-ignore-all lint/suspicious/noControlCharactersInRegex: finding control characters is what this module is for
/**
 * Text from sources (titles, abstracts, author names) is printed by the CLI, and a terminal obeys control
 * sequences in it: OSC 52 writes the clipboard, CSI moves the cursor and rewrites what is already on screen,
 * OSC 8 hides a link behind innocent text. Everything the CLI prints passes through `forTerminal`.
 */

// ESC [ parameters intermediates final, and its one-byte C1 form (U+009B). The three classes are disjoint ranges,
// so a failed match never backtracks far.
const CSI = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]/g;
// OSC, DCS, SOS, PM and APC strings run to BEL or ST (ESC \ or U+009C). The body stops at the next ESC or
// one-byte introducer, so each attempt scans only to where the next one could start: linear overall.
const CONTROL_STRING =
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u0090\u0098\u009c-\u009f]*(?:\u0007|\u001b\\|\u009c)/g;
// Every other C0 and C1 control and DEL; tab and line feed are layout, and a carriage return is kept only as
// part of CRLF (the line ending of CSV and RIS exports printed to stdout).
const OTHER_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;

/** `text` without terminal control sequences or control characters other than tab, line feed and CRLF. */
export function forTerminal(text: string): string {
  return text.replace(CSI, '').replace(CONTROL_STRING, '').replace(OTHER_CONTROL, '');
}

/**
 * JSON with every C1 control and DEL written as a \u escape. JSON.stringify escapes C0 controls already but
 * writes U+007F..U+009F raw, and some terminals act on U+009B as CSI; escaped, the document stays exactly the
 * same data. (Outside strings JSON is plain ASCII, so the replacement only ever touches string contents.)
 */
export function terminalSafeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
