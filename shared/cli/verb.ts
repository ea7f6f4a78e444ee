import type { ParseArgsConfig } from 'node:util';
import { forTerminal, terminalSafeJson } from '#shared/text/terminal.ts';

/** Where a verb reads and writes: the process streams in production, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Asks the person at the terminal; absent when nobody is there to answer (stdin is not a terminal). */
  ask?: (question: string) => Promise<string>;
}

export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface VerbInput {
  values: ParsedValues;
  positionals: string[];
}

/** One CLI verb: parsing and printing only; the work is a use case in shared/. */
export interface Verb {
  name: string;
  summary: string;
  /** Full help text shown by `<verb> --help`. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals?: { min: number; max: number };
  run(input: VerbInput, io: CliIO): Promise<number | undefined> | number | undefined;
}

/** One JSON document on stdout; text from sources in it stays exact but cannot drive the terminal. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${terminalSafeJson(value, 2)}\n`);
}

/**
 * The streams a verb is given: whatever it prints (titles and abstracts from sources, alerts, error messages
 * quoting input) loses terminal control sequences on the way.
 */
export function terminalSafeIO(io: CliIO): CliIO {
  return {
    ...io,
    stdout: (text) => io.stdout(forTerminal(text)),
    stderr: (text) => io.stderr(forTerminal(text)),
  };
}
