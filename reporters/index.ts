// The reporter registry: one line a reporter. The names accepted by --reporter and the
// config's `reporters`, the run's help text and ReporterName all derive from it.
import { UsageError } from '../harness/errors.ts';
import type { Reporter, ReporterContext, ReporterFactory } from './types.ts';
import { consoleReporter } from './console.ts';
import { githubReporter } from './github.ts';
import { junitReporter } from './junit.ts';
import { tapReporter } from './tap.ts';
import { jsonReporter } from './json.ts';
import { htmlReporter } from './html.ts';

export const REPORTERS = {
  console: consoleReporter,
  github: githubReporter,
  junit: junitReporter,
  tap: tapReporter,
  json: jsonReporter,
  html: htmlReporter,
} as const satisfies Record<string, ReporterFactory>;

export type ReporterName = keyof typeof REPORTERS;

/** every registered reporter's name, in registration order */
export function reporterNames(registry: Readonly<Record<string, ReporterFactory>> = REPORTERS): string[] {
  return Object.keys(registry);
}

export function defaultReporters(env: NodeJS.ProcessEnv): string[] {
  return env.GITHUB_ACTIONS === 'true' ? ['console', 'github'] : ['console'];
}

/**
 * The named reporters, each once. `where` names the place the names came from (the
 * option or the config file's key) for the error; `registry` is REPORTERS unless a
 * test brings its own.
 */
export function createReporters(
  names: readonly string[],
  ctx: ReporterContext,
  where = '--reporter',
  registry: Readonly<Record<string, ReporterFactory>> = REPORTERS,
): Reporter[] {
  return [...new Set(names)].map((n) => {
    const f = registry[n];
    if (!f)
      throw new UsageError(
        `${where} ${n}: unknown reporter\n  fix: use any of ${reporterNames(registry).join(', ')}`,
      );
    return f(ctx);
  });
}
