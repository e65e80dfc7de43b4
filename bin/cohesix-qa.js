#!/usr/bin/env node
// cohesix-qa runs from its TypeScript sources: tsx's loader is registered first so
// the CLI, configs written in TypeScript and the suites share one toolchain.
import { register } from 'tsx/esm/api';

// The AWS SDK (used by the federation uploader) warns on every run that its releases
// after January 2027 will need Node 22. We support Node 20 (engines), and the notice
// drowned the console report; a user who wants it back sets the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `run` drives vitest through its Node API. Loaded before tsx's hooks are registered, vitest
// and vite (large plain-JS bundles) bypass them: through the hooks they cost the CLI ~170 MB
// of peak RSS and ~10 s of start-up on the loaded 2-core machine (docs/decisions/rss.md).
// `run --help` runs nothing: it stays as light as any start-up (test/architecture/cli-startup.test.ts).
const args = process.argv.slice(2);
if (args.includes('run') && !args.includes('--help') && !args.includes('-h')) await import('vitest/node');

register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(args);
