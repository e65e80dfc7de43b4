// What every target starter gets and returns, and the config sections it reads. Kept
// apart from start.ts (which picks a starter through the registry) so the starters
// and the registry import this, not each other.
import type { LoadedConfig } from '../config/types.ts';
import type { TargetDescriptor, TargetKind } from './types.ts';
import { resolveCudaAnnexPaths } from '../cuda-annex/config-paths.ts';

/** Areas whose sections hold path-like values the generic key rule cannot see (nested, argv). */
const NESTED_PATHS: Record<
  string,
  (section: Record<string, unknown>, baseDir: string) => Record<string, unknown>
> = {
  'cuda-annex': resolveCudaAnnexPaths,
};

export interface TargetStartContext {
  loaded: LoadedConfig;
  kind: TargetKind;
  /** suite areas the plan will run */
  areas: string[];
  defect?: string;
  /** external target: what the reports call it (config target.name) */
  name?: string;
  /** .cohesix-qa/ : pidfiles and per-run state */
  stateRoot: string;
  runId: string;
  signal: AbortSignal;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface StartedTarget {
  descriptor: TargetDescriptor;
  /**
   * Why the area's service is down and since when (epoch ms), when it crashed during the run
   * (a target whose services are its own processes): the area's cases that failed, or ended
   * after that moment, are then infrastructure errors saying so.
   */
  down?(area: string): { reason: string; at: number } | undefined;
  stop(): Promise<void>;
}

export type TargetStarter = (ctx: TargetStartContext) => Promise<StartedTarget>;

/**
 * An area's config section. Its file paths are already absolute (the loader resolves
 * every value the schemas mark `x-local-path`); an area may add its own rules on top.
 */
export function areaConfig(loaded: LoadedConfig, area: string): Record<string, unknown> | undefined {
  const section = (loaded.config as Record<string, unknown>)[area] as Record<string, unknown> | undefined;
  if (!section) return undefined;
  return NESTED_PATHS[area]?.(section, loaded.baseDir) ?? section;
}

/** A target that only carries what the config says: used for areas a kind does not start itself. */
export function configResources(ctx: TargetStartContext): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const area of ctx.areas) {
    const c = areaConfig(ctx.loaded, area);
    if (c) resources[area] = c;
  }
  return resources;
}
