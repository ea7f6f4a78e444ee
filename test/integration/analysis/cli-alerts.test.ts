import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '#test/support/cli.ts';
import { metapsyText, withCell } from '#test/support/extraction-fixtures.ts';

// Row 8 of the Metapsy file is Cook 2012a's recovery result; a much larger mean moves the pooled estimate > 0.1.
const COOK_RECOVERY_ROW = 8;

describe('local commands that change included data', () => {
  it('write a team alert when a re-import changes a conclusion, and keep stdout for the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'living-review-cli-alerts-'));
    const data = join(dir, 'data');
    const file = join(dir, 'data.csv');
    writeFileSync(file, metapsyText());
    const first = await runCli(['extract', 'import', file, '--format', 'metapsy', '--data', data, '--json']);
    expect(first.code).toBe(0);

    writeFileSync(file, withCell(metapsyText(), COOK_RECOVERY_ROW, 'mean_arm1', '112,9'));
    const second = await runCli(['extract', 'import', file, '--format', 'metapsy', '--data', data, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).analysis).toMatchObject({ version: 2, created: true });
    expect(second.stderr).toMatch(/changed a conclusion/);

    const [alertFile] = readdirSync(join(data, 'alerts'));
    expect(readFileSync(join(data, 'alerts', alertFile as string), 'utf8')).toMatch(
      /recovery \(post\): estimate moved from 0\.24 to/,
    );
  });
});
