import { main } from '#shared/cli/main.ts';
import type { CliIO } from '#shared/cli/verb.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams, as a user's shell would see it. */
export async function runCli(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: process.cwd(),
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
