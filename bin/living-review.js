#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout: tsx compiles on load, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../shared/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
