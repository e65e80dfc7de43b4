// `run`'s flags that override a config value are written into the loaded config
// the run uses, never into environment variables: the target starters read
// them where they read the file's values (boot.bootRuns, release.bundle,
// coh.scripts), and the cases read the run's require list through the run
// context vitest provides (harness/run/run.ts → cohesixRun). Paths given on the
// command line are relative to where the command runs, so they are made
// absolute here; the config's own paths are already absolute (local-paths.ts).
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { parseRequire } from '../fixtures/case-groups.ts';
import type { LoadedConfig } from './types.ts';

export interface CliOverrides {
  /** --bundle <dir> → release.bundle */
  bundle?: string;
  /** --coh <glob> (repeatable) → coh.scripts */
  coh?: string[];
  /** --boot-runs <n> → boot.bootRuns */
  bootRuns?: string | number;
  /** --require <group,...> → require (added to the config's list) */
  require?: string[];
}

function bootRunsOf(v: string | number): number {
  const n = Number(v);
  if (String(v).trim() === '' || !Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(
      `--boot-runs must be an integer 1..1000, got ${JSON.stringify(v)}\n  fix: pass a whole number of cold boots, e.g. --boot-runs 5`,
    );
  return n;
}

/** the loaded config with the flags laid over it (a copy: the loaded object is not changed) */
export function applyCliOverrides(loaded: LoadedConfig, o: CliOverrides, cwd: string): LoadedConfig {
  const config = { ...loaded.config };
  if (o.bootRuns !== undefined) config.boot = { ...config.boot, bootRuns: bootRunsOf(o.bootRuns) };
  if (o.bundle !== undefined) config.release = { ...config.release, bundle: resolve(cwd, o.bundle) };
  if (o.coh !== undefined)
    config.coh = { ...config.coh, scripts: o.coh.map((g) => resolve(cwd, g)), scriptsFrom: '--coh' };
  // the config's own list is checked like the flag's: a typo there must not silently require nothing
  const required = config.require === undefined ? undefined : requireList(config.require, 'config require');
  if (o.require !== undefined || required !== undefined)
    config.require = [...new Set([...(required ?? []), ...requireList(o.require ?? [], '--require')])];
  return { ...loaded, config };
}

function requireList(values: readonly string[], where: string): string[] {
  try {
    return parseRequire(values);
  } catch (e) {
    if (e instanceof UsageError && where !== '--require')
      throw new UsageError(e.message.replace(/^--require/, where));
    throw e;
  }
}
