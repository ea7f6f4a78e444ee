import { InputError } from '#shared/errors.ts';

/**
 * Windows-1252 bytes 0x80-0x9F (the WHATWG index; the other bytes are Latin-1). Spreadsheet tools that misread
 * UTF-8 usually used this code page, which is why "—" turns into "â€”" and not into Latin-1 control characters.
 * Node's TextDecoder('windows-1252') decodes this range as Latin-1, so the definition is spelled out here.
 */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function windows1252Byte(char: string): number | undefined {
  const code = char.codePointAt(0) ?? 0;
  const high = WINDOWS_1252_HIGH.indexOf(char);
  if (high >= 0) return 0x80 + high;
  if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
  return undefined;
}

/**
 * Repairs text that was UTF-8, decoded once as Windows-1252/Latin-1 and saved again as UTF-8 ("RÃ¼sch" → "Rüsch").
 * The text is encoded back to single bytes and kept only if those bytes are valid UTF-8 and differ; text that
 * was right to begin with ("Rüsch", "é" alone) fails that test and is returned unchanged. Repeats for text
 * that went through the round trip more than once.
 */
export function repairDoubleDecoded(text: string): string {
  let current = text;
  for (let pass = 0; pass < 3 && /[\u0080-\uFFFF]/.test(current); pass++) {
    const bytes: number[] = [];
    for (const char of current) {
      const byte = windows1252Byte(char);
      if (byte === undefined) return current;
      bytes.push(byte);
    }
    let decoded: string;
    try {
      decoded = utf8.decode(Uint8Array.from(bytes));
    } catch {
      return current;
    }
    if (decoded === current) return current;
    current = decoded;
  }
  return current;
}

export interface CellProblem {
  row: number;
  column: string;
  message: string;
}

/** Collects every problem in a file so one refusal names them all; nothing is written while any exist. */
/** A file refused for its problems, each with its row and column, so a form can show them beside its fields. */
export class FileProblemsError extends InputError {
  override name = 'FileProblemsError';
  constructor(
    message: string,
    readonly problems: readonly CellProblem[],
  ) {
    super(message);
  }
}

export class ProblemList {
  readonly problems: CellProblem[] = [];

  add(row: number, column: string, message: string): void {
    this.problems.push({ row, column, message });
  }

  throwIfAny(document: string): void {
    if (this.problems.length === 0) return;
    const shown = this.problems.slice(0, 25).map((p) => `  row ${p.row}, column "${p.column}": ${p.message}`);
    const more =
      this.problems.length > shown.length ? [`  … and ${this.problems.length - shown.length} more`] : [];
    throw new FileProblemsError(
      [`${document}: ${this.problems.length} problem(s), nothing was imported:`, ...shown, ...more].join(
        '\n',
      ),
      this.problems,
    );
  }
}

export interface NumberRules {
  /** Accept "0,5" for 0.5 (Metapsy files are written with decimal commas). */
  decimalComma: boolean;
  integer?: boolean;
  min?: number;
  /** Exclusive lower bound, e.g. an SD must be > 0. */
  above?: number;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a numeric cell; reports a problem and returns undefined when the text is not a number within the rules. */
export function readNumber(
  text: string,
  rules: NumberRules,
  where: { problems: ProblemList; row: number; column: string },
): number | undefined {
  const trimmed = text.trim();
  const normalised = rules.decimalComma ? trimmed.replace(',', '.') : trimmed;
  if (!NUMBER.test(normalised)) {
    where.problems.add(where.row, where.column, `"${text}" is not a number`);
    return undefined;
  }
  const value = Number(normalised);
  if (rules.integer && !Number.isInteger(value)) {
    where.problems.add(where.row, where.column, `${text} is not a whole number`);
    return undefined;
  }
  if (rules.min !== undefined && value < rules.min) {
    where.problems.add(where.row, where.column, `${text} is below the minimum ${rules.min}`);
    return undefined;
  }
  if (rules.above !== undefined && value <= rules.above) {
    where.problems.add(where.row, where.column, `${text} must be greater than ${rules.above}`);
    return undefined;
  }
  return value;
}
