import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleSizeGoal, esbuildOptionsFor, functionNames } from '../../infra/bundling.ts';

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
      'workbench',
      'workbench-authorizer',
    ]);
  });

  it.each(functionNames())(
    'keeps %s under its size goal minified, built as the construct builds it',
    async (name) => {
      const result = await build({ ...esbuildOptionsFor(name), outfile: `${name}.mjs`, write: false });
      const bundle = result.outputFiles.find((file) => file.path.endsWith(`${name}.mjs`));
      expect(bundle?.contents.length).toBeGreaterThan(0);
      expect(bundle?.contents.length).toBeLessThan(bundleSizeGoal(name));
    },
  );

  it('holds every function but the workbench to 1 MB', () => {
    for (const name of functionNames()) {
      if (name === 'workbench') expect(bundleSizeGoal(name)).toBeLessThanOrEqual(1.1 * ONE_MB);
      else expect(bundleSizeGoal(name)).toBe(ONE_MB);
    }
  });
});
