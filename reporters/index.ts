// The reporter registry: names accepted by --reporter.
import { UsageError } from '../harness/errors.ts';
import type { Reporter, ReporterContext, ReporterFactory } from './types.ts';
import { consoleReporter } from './console.ts';
import { githubReporter } from './github.ts';
import { junitReporter } from './junit.ts';
import { tapReporter } from './tap.ts';
import { jsonReporter } from './json.ts';
import { htmlReporter } from './html.ts';

export const REPORTERS: Record<string, ReporterFactory> = {
  console: consoleReporter,
  github: githubReporter,
  junit: junitReporter,
  tap: tapReporter,
  json: jsonReporter,
  html: htmlReporter,
};

export function defaultReporters(env: NodeJS.ProcessEnv): string[] {
  return env.GITHUB_ACTIONS === 'true' ? ['console', 'github'] : ['console'];
}

export function createReporters(names: readonly string[], ctx: ReporterContext): Reporter[] {
  return [...new Set(names)].map((n) => {
    const f = REPORTERS[n];
    if (!f)
      throw new UsageError(
        `--reporter ${n}: unknown reporter\n  fix: use any of ${Object.keys(REPORTERS).join(', ')}`,
      );
    return f(ctx);
  });
}
