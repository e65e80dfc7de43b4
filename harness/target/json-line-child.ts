// A child process whose front door is one line of JSON on stdout (its endpoints), printed
// once it serves: started through the managed spawn (own process group, pdeathsig,
// pidfile), that line read within a bound that names what was awaited and what the child
// last said on stderr. A child that exits 2 first refused its input: that is a usage error.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';
import { createInterface } from 'node:readline';
import { InfraError, UsageError } from '../errors.ts';
import { spawnManaged, type ManagedProcess } from '../process/spawn.ts';

/** the CLI, whose `reference serve` / `reference uploader` commands are such children */
export const CLI = join(PROJECT_ROOT, 'bin', 'cohesix-qa.js');

/** stderr lines kept for messages; the whole stream goes to logFile when given */
const TAIL_LINES = 12;

export interface JsonLineChildSpec {
  label: string;
  file: string;
  args: readonly string[];
  /** what the child is, for messages: e.g. "`cohesix-qa reference serve --area gui`" */
  what: string;
  cwd: string;
  stateRoot?: string;
  signal?: AbortSignal;
  /** bound from spawn to the JSON line */
  startMs: number;
  logFile?: string;
  /** added to the child's environment */
  env?: Record<string, string>;
  /** each stderr line, e.g. to pass warnings on */
  onStderr?(line: string): void;
}

export interface JsonLineChild<T> {
  value: T;
  proc: ManagedProcess;
  /** the last lines the child wrote on stderr */
  tail(): string;
}

export function exitText(r: { exitCode?: number; signal?: string }): string {
  return r.signal ? `signal ${r.signal}` : `exit code ${r.exitCode ?? '?'}`;
}

export async function startJsonLineChild<T>(spec: JsonLineChildSpec): Promise<JsonLineChild<T>> {
  const proc = spawnManaged(spec.file, spec.args, {
    label: spec.label,
    cwd: spec.cwd,
    stateRoot: spec.stateRoot,
    signal: spec.signal,
    env: spec.env,
  });
  const lines: string[] = [];
  const log = spec.logFile ? createWriteStream(spec.logFile) : undefined;
  createInterface({ input: proc.child.stderr! }).on('line', (l) => {
    log?.write(l + '\n');
    lines.push(l);
    if (lines.length > TAIL_LINES) lines.shift();
    spec.onStderr?.(l);
  });
  void proc.exited.then(() => log?.end());
  const tail = () => lines.join('\n') || '(nothing)';
  const what = `${spec.what} (pid ${proc.pid}) to print its endpoints`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await new Promise<T>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new InfraError(`waited ${spec.startMs} ms for ${what}; its stderr ended:\n${tail()}`)),
        spec.startMs,
      );
      createInterface({ input: proc.child.stdout! }).once('line', (l) => {
        try {
          resolve(JSON.parse(l) as T);
        } catch {
          reject(new InfraError(`waited for ${what}, but its first line is not JSON: ${l.slice(0, 200)}`));
        }
      });
      void proc.exited.then((r) => {
        // the CLI prints a usage error (exit 2) as "cohesix-qa: <message>": it is the caller's own
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
    return { value, proc, tail };
  } catch (e) {
    await proc.stop(1000);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
