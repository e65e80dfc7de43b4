// One `cohesix-qa reference serve --area <area>` child of a run (json-line-child.ts): its
// stderr kept whole in a file and as a tail for evidence. Its exit before stop() is a
// crash: the cases of its area become infrastructure errors naming it (reference.ts).
import { readFileSync } from 'node:fs';
import type { ManagedProcess } from '../process/spawn.ts';
import { CLI, startJsonLineChild } from './json-line-child.ts';
import { SERVE_SECTIONS_ENV, type ServedEndpoints } from './serve.ts';

export interface ServeChildSpec {
  area: string;
  defect?: string;
  /** the run's config file, so the child's area sections are the run's */
  config?: string;
  /**
   * the run's own sections of the served area, after its CLI flags (--boot-runs, --coh,
   * ...): the child lays them over what it reads from `config`, so both see one config
   */
  sections?: Record<string, unknown>;
  /** the run's id: the child's state dirs go under the run's own runs/<id>/ */
  runId: string;
  /** the run's state root: pidfiles and state dirs stay in one place */
  stateRoot: string;
  cwd: string;
  /** the child's stderr, whole */
  logFile: string;
  /** bound on start-up: from spawn to its JSON line */
  startMs: number;
  signal: AbortSignal;
  /** a `[warn]` / `[error]` line of the child, for the run's console */
  log(level: 'warn' | 'error', message: string): void;
}

export interface ServeChild {
  area: string;
  served: ServedEndpoints;
  proc: ManagedProcess;
  /** the last lines the child wrote on stderr */
  tail(): string;
}

/** whether the process has exited (a zombie not yet reaped counts as exited) */
export function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return process.platform === 'linux'; // no /proc entry: gone (elsewhere we cannot tell)
  }
}

export async function startServeChild(spec: ServeChildSpec): Promise<ServeChild> {
  const args = [
    CLI,
    'reference',
    'serve',
    '--area',
    spec.area,
    '--state-root',
    spec.stateRoot,
    '--run-id',
    spec.runId,
    ...(spec.config ? ['--config', spec.config] : []),
    ...(spec.defect ? ['--defect', spec.defect] : []),
  ];
  const c = await startJsonLineChild<ServedEndpoints>({
    label: `reference-serve:${spec.area}`,
    file: process.execPath,
    args,
    what: `\`cohesix-qa reference serve --area ${spec.area}\``,
    cwd: spec.cwd,
    stateRoot: spec.stateRoot,
    signal: spec.signal,
    startMs: spec.startMs,
    logFile: spec.logFile,
    ...(spec.sections ? { env: { [SERVE_SECTIONS_ENV]: JSON.stringify(spec.sections) } } : {}),
    onStderr(l) {
      const level = /^\[(warn|error)\] /.exec(l)?.[1] as 'warn' | 'error' | undefined;
      if (level) spec.log(level, `reference ${spec.area}: ${l.slice(level.length + 3)}`);
    },
  });
  return { area: spec.area, served: c.value, proc: c.proc, tail: c.tail };
}
