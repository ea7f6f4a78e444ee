/**
 * Lambda bundles: each functions/<name>/handler.ts bundled by esbuild with exactly the options the ProjectFunction
 * construct uses (infra/bundling.ts), then its minified size and the time a fresh `node` process takes to import
 * it, median of several runs. Goal: under 1 MB and under 300 ms each. The bundles are written under
 * node_modules/.cache so their external @aws-sdk imports resolve as they do in Lambda's runtime (here: from
 * node_modules, unbundled, which is the slower case).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTIONS_DIR, handlerEntry, LAMBDA_BUNDLING } from '../infra/bundling.ts';

const RUNS = 7;
const OUT_DIR = join(FUNCTIONS_DIR, '..', 'node_modules', '.cache', 'living-review-lambda-bench');
const SIZE_GOAL_BYTES = 1024 * 1024;
const IMPORT_GOAL_MS = 300;

async function bundle(name: string): Promise<string> {
  const outfile = join(OUT_DIR, name, 'index.mjs');
  await build({
    entryPoints: [handlerEntry(name)],
    outfile,
    bundle: true,
    format: LAMBDA_BUNDLING.format,
    target: LAMBDA_BUNDLING.target,
    platform: LAMBDA_BUNDLING.platform,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourcemap,
    banner: { js: LAMBDA_BUNDLING.banner },
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.external],
    logLevel: 'error',
  });
  return outfile;
}

/** Milliseconds from start to the end of `import()` in a new node process (module loading only, no invocation). */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, AWS_REGION: 'eu-west-2' },
  });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export default async function (): Promise<void> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const names = readdirSync(FUNCTIONS_DIR).filter((name) => {
    try {
      return statSync(handlerEntry(name)).isFile();
    } catch {
      return false;
    }
  });
  console.log(
    `node ${process.version}; ${RUNS} cold imports per bundle; @aws-sdk/* external (from the runtime)`,
  );
  console.log('function        size (KB)  import median (ms)  min..max (ms)   goal');
  for (const name of names.sort()) {
    const file = await bundle(name);
    const bytes = statSync(file).size;
    const times = Array.from({ length: RUNS }, () => coldImportMs(file));
    const ms = median(times);
    const met = bytes < SIZE_GOAL_BYTES && ms < IMPORT_GOAL_MS ? 'met' : 'MISSED';
    console.log(
      `${name.padEnd(15)} ${(bytes / 1024).toFixed(0).padStart(9)}  ${ms.toFixed(0).padStart(18)}  ${`${Math.min(...times).toFixed(0)}..${Math.max(...times).toFixed(0)}`.padStart(13)}   ${met}`,
    );
  }
}
