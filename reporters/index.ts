// The reporter registry: one line a reporter (its file, reporters/<name>.ts). The
// names accepted by --reporter and the config's `reporters`, the run's help text and
// ReporterName all derive from it.
import { UsageError } from '../harness/errors.ts';
import type { Reporter, ReporterContext, ReporterFactory } from './types.ts';

export const REPORTERS = {
  console: (await import('./console.ts')).consoleReporter,
  github: (await import('./github.ts')).githubReporter,
  junit: (await import('./junit.ts')).junitReporter,
  tap: (await import('./tap.ts')).tapReporter,
  json: (await import('./json.ts')).jsonReporter,
  html: (await import('./html.ts')).htmlReporter,
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
