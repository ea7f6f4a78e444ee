/**
 * How every Lambda is bundled, as plain data: the ProjectFunction construct hands it to NodejsFunction and the
 * bundle benchmark hands it to esbuild, so the benchmark measures exactly what is deployed.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
   * The AWS SDK v3 comes with Lambda's Node 22 runtime, so it stays out of the bundles (bundling it adds about
   * 350 KB and takes the poll functions past 1 MB; zod's namespace import, with its locales, is the other big part).
   */
  external: ['@aws-sdk/*'] as string[],
} as const;

export const FUNCTIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'functions');

/** The handler file of a function under functions/<name>/. */
export function handlerEntry(name: string): string {
  return join(FUNCTIONS_DIR, name, 'handler.ts');
}
