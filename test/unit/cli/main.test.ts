import { describe, expect, it } from 'vitest';
import { runCli } from '#test/support/cli.ts';

describe('the CLI entry point', () => {
  it('lists the verbs when asked for help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: living-review <verb>');
  });

  it('refuses an unknown verb with exit code 2 and a message on stderr', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown verb 'frobnicate'");
    expect(run.stdout).toBe('');
  });
});
