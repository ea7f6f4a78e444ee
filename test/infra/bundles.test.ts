import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptionsFor, functionNames } from '../../infra/bundling.ts';

const ONE_MB = 1024 * 1024;

describe('Lambda bundles', () => {
  it('finds every deployed function', () => {
    expect(functionNames()).toEqual([
      'import-upload',
      'poll-ctgov',
      'poll-pubmed',
      'publish',
      'reanalyse',
      'screening-api',
      'seed',
    ]);
  });

  it.each(functionNames())('keeps %s under 1 MB minified, built as the construct builds it', async (name) => {
    const result = await build({ ...esbuildOptionsFor(name), outfile: `${name}.mjs`, write: false });
    const bundle = result.outputFiles.find((file) => file.path.endsWith(`${name}.mjs`));
    expect(bundle?.contents.length).toBeGreaterThan(0);
    expect(bundle?.contents.length).toBeLessThan(ONE_MB);
  });
});
