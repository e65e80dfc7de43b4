// One `cohesix-qa reference serve --area <area>` child of a run: started through the
// managed spawn (own process group, pdeathsig, pidfile), its one JSON line read within a
// bound, its stderr kept in a file and a tail for evidence. Its exit before stop() is a
// crash: the cases of its area become infrastructure errors naming it (harness/run/).
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../paths.ts';
import { InfraError, UsageError } from '../errors.ts';
import { spawnManaged, type ManagedProcess } from '../process/spawn.ts';
import type { ServedEndpoints } from './serve.ts';

const CLI = join(PROJECT_ROOT, 'bin', 'cohesix-qa.js');
/** stderr lines kept for messages; the whole stream is in the child's log file */
const TAIL_LINES = 12;

export interface ServeChildSpec {
  area: string;
  defect?: string;
  /** the run's config file, so the child's area sections are the run's */
  config?: string;
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
    ...(spec.config ? ['--config', spec.config] : []),
    ...(spec.defect ? ['--defect', spec.defect] : []),
  ];
  const label = `reference-serve:${spec.area}`;
  const proc = spawnManaged(process.execPath, args, {
    label,
    cwd: spec.cwd,
    stateRoot: spec.stateRoot,
    signal: spec.signal,
  });
  const lines: string[] = [];
  const logFile = createWriteStream(spec.logFile);
  createInterface({ input: proc.child.stderr! }).on('line', (l) => {
    logFile.write(l + '\n');
    lines.push(l);
    if (lines.length > TAIL_LINES) lines.shift();
    const level = /^\[(warn|error)\] /.exec(l)?.[1] as 'warn' | 'error' | undefined;
    if (level) spec.log(level, `reference ${spec.area}: ${l.slice(level.length + 3)}`);
  });
  void proc.exited.then(() => logFile.end());
  const tail = () => lines.join('\n') || '(nothing)';
  const what = `\`cohesix-qa reference serve --area ${spec.area}\` (pid ${proc.pid}) to print its endpoints`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const served = await new Promise<ServedEndpoints>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new InfraError(`waited ${spec.startMs} ms for ${what}; its stderr ended:\n${tail()}`)),
        spec.startMs,
      );
      const stdout = createInterface({ input: proc.child.stdout! });
      stdout.once('line', (l) => {
        try {
          resolve(JSON.parse(l) as ServedEndpoints);
        } catch {
          reject(new InfraError(`waited for ${what}, but its first line is not JSON: ${l.slice(0, 200)}`));
        }
      });
      void proc.exited.then((r) => {
        // the child prints a usage error (exit 2) as "cohesix-qa: <message>": the run's own
        const usage = lines.findIndex((l) => l.startsWith('cohesix-qa: '));
        if (r.exitCode === 2 && usage >= 0)
          reject(new UsageError(lines.slice(usage).join('\n').slice('cohesix-qa: '.length)));
        else
          reject(
            new InfraError(
              `waited for ${what}, but it exited (${exitText(r)}) first; its stderr ended:\n${tail()}`,
            ),
          );
      });
    });
    return { area: spec.area, served, proc, tail };
  } catch (e) {
    await proc.stop(1000);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export function exitText(r: { exitCode?: number; signal?: string }): string {
  return r.signal ? `signal ${r.signal}` : `exit code ${r.exitCode ?? '?'}`;
}
