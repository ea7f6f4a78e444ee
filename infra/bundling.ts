/**
 * How every Lambda is bundled, as plain data: the ProjectFunction construct hands it to NodejsFunction and the
 * bundle benchmark hands it to esbuild, so the benchmark measures exactly what is deployed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** Lambda's Node 22 runtime; esbuild's target must agree with it. */
export const NODE_TARGET = 'node22';

/** ESM bundles have no `require`; some dependencies still call it for Node built-ins. */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export const LAMBDA_BUNDLING = {
  format: 'esm',
  target: NODE_TARGET,
  platform: 'node',
  minify: true,
  sourcemap: true,
  banner: CREATE_REQUIRE_BANNER,
  /** Prefer ESM entry points so esbuild can drop unused exports. */
  mainFields: ['module', 'main'],
  /**
   * Nothing external: the AWS SDK is bundled rather than taken from the Lambda runtime, so the deployed code runs
   * the SDK versions the lockfile pins, and one minified file imports about twice as fast as the runtime's many
   * files (bench/lambda.bench.ts measures both).
   */
  external: [] as string[],
  /** License texts go to index.mjs.LEGAL.txt beside the bundle (deployed with it) instead of its last 80 KB. */
  legalComments: 'external',
} as const;

export const FUNCTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'functions');

/**
 * The shell command that puts a review's folder (its file and the data it names) beside a function's bundle, at
 * reviews/<id>/ under the task root, where the handler's `reviewById` reads it.
 */
export function bundleReviewCommand(projectDir: string, bundleDir: string, reviewId: string): string {
  return `mkdir -p "${bundleDir}/reviews" && cp -R "${projectDir}/reviews/${reviewId}" "${bundleDir}/reviews/"`;
}

/** The handler file of a function under functions/<name>/. */
export function handlerEntry(name: string): string {
  return join(FUNCTIONS_DIR, name, 'handler.ts');
}

/** The same options for esbuild's own API (the bundle benchmark and the bundle-size test), optionally other externals. */
export function esbuildOptionsFor(
  name: string,
  external: readonly string[] = LAMBDA_BUNDLING.external,
): BuildOptions {
  return {
    entryPoints: [handlerEntry(name)],
    bundle: true,
    format: LAMBDA_BUNDLING.format,
    target: LAMBDA_BUNDLING.target,
    platform: LAMBDA_BUNDLING.platform,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourcemap,
    banner: { js: LAMBDA_BUNDLING.banner },
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...external],
    legalComments: LAMBDA_BUNDLING.legalComments,
    logLevel: 'error',
  };
}

/** Each bundle's size goal: small bundles import fast (bench/lambda.bench.ts also wants under 300 ms). */
const BUNDLE_SIZE_GOAL_BYTES = 1024 * 1024;

/**
 * The exceptions, each with its reason. The workbench runs every use case the CLI has (imports with their
 * parsers, screening, studies, extraction, the analysis, publishing to S3) plus the web pages and Cognito's token
 * checks, so it is the one bundle past 1 MiB (about 1.04 MiB, importing cold in about 240 ms here).
 */
const BUNDLE_SIZE_GOAL_EXCEPTIONS: Readonly<Record<string, number>> = {
  workbench: 1.1 * 1024 * 1024,
};

export function bundleSizeGoal(name: string): number {
  return BUNDLE_SIZE_GOAL_EXCEPTIONS[name] ?? BUNDLE_SIZE_GOAL_BYTES;
}

/** Every function folder with a handler. */
export function functionNames(): string[] {
  return readdirSync(FUNCTIONS_DIR)
    .filter((name) => existsSync(handlerEntry(name)))
    .sort();
}
