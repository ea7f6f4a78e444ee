#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout: tsx compiles on load, so no build step is needed.
import { register } from 'tsx/esm/api';

// The CLI supports Node 20 (the machines it runs on); the AWS SDK's notice that its 2027 releases need Node 22
// would otherwise open every command's stderr. Deployed functions run on Node 22 and never see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../shared/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
