// The reference services on their own (`cohesix-qa reference serve`): started as the
// reference target starts them, endpoints printed once, stopped on SIGINT/SIGTERM.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { UsageError } from '../errors.ts';
import { killAllSync } from '../process/registry.ts';
import { reapStale } from '../process/reap.ts';
import { resolveAreas } from '../run/plan.ts';
import { startReferenceServices } from './reference-services.ts';

/**
 * A run hands its serve children its own area sections (after its CLI flags) here, as
 * JSON: not a user setting. Through the environment, not argv, so tokens in a section
 * do not show in `ps`.
 */
export const SERVE_SECTIONS_ENV = 'COHESIX_QA_SERVE_SECTIONS';

export interface ServeRequest {
  areas: string[];
  defect?: string;
  config?: string;
  /** the run this child serves (a run passes its own, so state stays under runs/<its id>/); default a new one */
  runId?: string;
  /** pidfiles and state dirs (default: the config's targets.reference.stateDir); a run passes its own */
  stateRoot?: string;
  cwd?: string;
  /** area sections laid over the config's (a run's own, see SERVE_SECTIONS_ENV) */
  sections?: Record<string, unknown>;
  /** the one line of JSON */
  out(line: string): void;
  /** everything else (stderr) */
  log(line: string): void;
}

/** What `reference serve` prints: an area's resources are what its suite binds to. */
export interface ServedEndpoints {
  runId: string;
  stateDir: string;
  pid: number;
  defect?: string;
  areas: Record<string, unknown>;
  /** facts for the run-start event (e.g. coh.scripts) */
  provenance?: Record<string, string>;
}

/** The sections a run handed this serve child (SERVE_SECTIONS_ENV), if any. */
export function runSections(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> | undefined {
  const text = env[SERVE_SECTIONS_ENV];
  // read once and dropped: the services' own children (QEMU, queens, ...) need not carry it
  delete env[SERVE_SECTIONS_ENV];
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${SERVE_SECTIONS_ENV}: not JSON (${(e as Error).message})\n  fix: unset it; a run sets it for its own serve children`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(
      `${SERVE_SECTIONS_ENV}: expected an object of area sections, found ${Array.isArray(value) ? 'an array' : typeof value}\n  fix: unset it; a run sets it for its own serve children`,
    );
  return value as Record<string, unknown>;
}

/** Resolves to the exit code once a signal has stopped everything. */
export async function serveReference(req: ServeRequest): Promise<number> {
  const cwd = req.cwd ?? process.cwd();
  const read = await loadConfig(req.config, cwd);
  const loaded = req.sections ? { ...read, config: { ...read.config, ...req.sections } } : read;
  const areas = resolveAreas(req.areas);
  const stateRoot = req.stateRoot
    ? resolve(cwd, req.stateRoot)
    : resolve(cwd, loaded.config.targets?.reference?.stateDir ?? '.cohesix-qa');
  for (const r of reapStale(stateRoot))
    req.log(`reaped a leftover ${r.label} (pid ${r.pid}) from a killed run`);
  if (req.runId !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(req.runId))
    throw new UsageError(
      `--run-id ${JSON.stringify(req.runId)}: expected letters, digits and dashes (a folder name under runs/)\n  fix: leave it out; a run passes its own`,
    );
  const runId = req.runId ?? randomUUID();
  const controller = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((r) => (wake = r));
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) {
      // a second signal: do not wait for a clean stop
      killAllSync('SIGKILL');
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
    signalled = sig;
    controller.abort();
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const started = await startReferenceServices({
      loaded,
      kind: 'reference',
      areas,
      defect: req.defect,
      stateRoot,
      runId,
      signal: controller.signal,
      log: (level, message) => req.log(`[${level}] ${message}`),
    });
    try {
      const served: ServedEndpoints = {
        runId,
        stateDir: join(stateRoot, 'runs', runId),
        pid: process.pid,
        ...(started.descriptor.defect ? { defect: started.descriptor.defect } : {}),
        areas: started.descriptor.resources,
        provenance: started.descriptor.provenance,
      };
      req.out(JSON.stringify(served));
      req.log(`serving ${areas.join(', ')} (run ${runId}); SIGINT or SIGTERM stops`);
      // a service with nothing listening (governance: a tree on disk) leaves the event loop
      // empty, and node would end the process at once (exit 13, an unsettled await): the
      // served files must stay until the signal
      const keepAlive = setInterval(() => {}, 1 << 30);
      try {
        if (!signalled) await stopped;
      } finally {
        clearInterval(keepAlive);
      }
      req.log(`${signalled}: stopping the reference services`);
    } finally {
      await started.stop();
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
