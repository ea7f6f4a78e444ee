import type { ParseArgsConfig } from 'node:util';

/** Where a verb reads and writes: the process streams in production, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
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

export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
