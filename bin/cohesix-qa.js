#!/usr/bin/env node
// cohesix-qa runs from its TypeScript sources: tsx's loader is registered first so
// the CLI, configs written in TypeScript and the suites share one toolchain.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
