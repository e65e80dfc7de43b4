#!/usr/bin/env node
// cohesix-qa runs from its TypeScript sources: tsx's loader is registered first so
// the CLI, configs written in TypeScript and the suites share one toolchain.
import { register } from 'tsx/esm/api';

// The AWS SDK (used by the federation uploader) warns on every run that its releases
// after January 2027 will need Node 22. We support Node 20 (engines), and the notice
// drowned the console report; a user who wants it back sets the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
