import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { exitCodeFor, InputError, messageOf } from '#shared/errors.ts';
import { type CliIO, terminalSafeIO, type Verb } from './verb.ts';
import { verbs } from './verbs.ts';

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  ...(process.stdin.isTTY
    ? {
        ask: async (question: string) => {
          const terminal = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await terminal.question(question);
          } finally {
            terminal.close();
          }
        },
      }
    : {}),
};

function overview(): string {
  const width = Math.max(...verbs.map((verb) => verb.name.length));
  const lines = verbs.map((verb) => `  ${verb.name.padEnd(width)}  ${verb.summary}`);
  return `Usage: living-review <verb> [options]\n\nVerbs:\n${lines.join('\n')}\n\nRun 'living-review <verb> --help' for a verb's options.\n`;
}

function parse(verb: Verb, args: string[]) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...verb.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: verb.positionals !== undefined,
      strict: true,
    });
    return parsed;
  } catch (error) {
    throw new InputError(`${verb.name}: ${messageOf(error)}`);
  }
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function main(argv: string[], processStreams: CliIO = processIO): Promise<number> {
  const io = terminalSafeIO(processStreams);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return 0;
  }
  const verb = verbs.find((candidate) => candidate.name === name);
  if (verb === undefined) {
    io.stderr(`living-review: unknown verb '${name}'\n\n${overview()}`);
    return 2;
  }
  try {
    const { values, positionals } = parse(verb, rest);
    if (values.help === true) {
      io.stdout(verb.help.endsWith('\n') ? verb.help : `${verb.help}\n`);
      return 0;
    }
    const range = verb.positionals;
    if (range && (positionals.length < range.min || positionals.length > range.max)) {
      throw new InputError(
        `${verb.name}: expected ${range.min === range.max ? range.min : `${range.min} to ${range.max}`} argument(s), got ${positionals.length}; see '${verb.name} --help'`,
      );
    }
    return (await verb.run({ values, positionals }, io)) ?? 0;
  } catch (error) {
    io.stderr(`living-review ${verb.name}: ${messageOf(error)}\n`);
    // The stack helps whoever reports an unexpected failure; a user's mistake keeps its one-line message.
    if (io.env.LIVING_REVIEW_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return exitCodeFor(error);
  }
}
