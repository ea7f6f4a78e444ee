/**
 * Lambda bundles: each functions/<name>/handler.ts bundled by esbuild with exactly the options the ProjectFunction
 * construct uses (infra/bundling.ts), then its minified size and the time a fresh `node` process takes to import
 * it (wall clock and CPU, median of several runs; CPU time is the steadier figure on a busy machine). Goal: under
 * 1 MB (the workbench 1.1 MB: infra/bundling.ts says why) and under 300 ms each. A second table leaves the SDK to the Lambda runtime, for comparison: smaller files,
 * slower imports. Bundles are written under node_modules/.cache so external @aws-sdk imports resolve from
 * node_modules, as they would from the runtime's own copy in Lambda.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  bundleSizeGoal,
  esbuildOptionsFor,
  FUNCTIONS_DIR,
  functionNames,
  LAMBDA_BUNDLING,
} from '../infra/bundling.ts';

const RUNS = 7;
const OUT_DIR = join(FUNCTIONS_DIR, '..', 'node_modules', '.cache', 'living-review-lambda-bench');
const IMPORT_GOAL_MS = 300;

async function bundle(name: string, external: readonly string[], folder: string): Promise<string> {
  const outfile = join(OUT_DIR, folder, name, 'index.mjs');
  await build({ ...esbuildOptionsFor(name, external), outfile });
  return outfile;
}

/** Wall-clock and CPU milliseconds of `import()` in a new node process (module loading only, no invocation). */
function coldImport(file: string): { wallMs: number; cpuMs: number } {
  const script = [
    'const cpu = process.cpuUsage();',
    'const start = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const used = process.cpuUsage(cpu);',
    'console.log(JSON.stringify({ wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }));',
  ].join(' ');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, AWS_REGION: 'eu-west-2' },
  });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as { wallMs: number; cpuMs: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function table(title: string, external: readonly string[], folder: string): Promise<void> {
  console.log(`\n${title}`);
  console.log('function             size (KB)  wall median (ms)  cpu median (ms)  goal');
  for (const name of functionNames()) {
    const file = await bundle(name, external, folder);
    const bytes = statSync(file).size;
    const runs = Array.from({ length: RUNS }, () => coldImport(file));
    const wall = median(runs.map((run) => run.wallMs));
    const cpu = median(runs.map((run) => run.cpuMs));
    const met = bytes < bundleSizeGoal(name) && wall < IMPORT_GOAL_MS ? 'met' : 'MISSED';
    console.log(
      `${name.padEnd(20)} ${(bytes / 1024).toFixed(0).padStart(9)}  ${wall.toFixed(0).padStart(16)}  ${cpu.toFixed(0).padStart(15)}  ${met}`,
    );
  }
}

export default async function (): Promise<void> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  console.log(`node ${process.version}; ${RUNS} cold imports per bundle`);
  await table('As deployed (the AWS SDK bundled):', LAMBDA_BUNDLING.external, 'deployed');
  await table('For comparison only, @aws-sdk/* left to the Lambda runtime:', ['@aws-sdk/*'], 'sdk-external');
}
