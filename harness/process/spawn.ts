// The one managed way to start a child process. Every child:
// - is started through execa, in its own process group (so its descendants die with it),
// - on Linux is wrapped in `setpriv --pdeathsig SIGKILL` so it dies if the harness is SIGKILLed,
// - is registered (and pidfiled when a state root is given) until it is reaped,
// - has a bounded lifetime when a timeout is given, and stops on an AbortSignal.
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { register, unregister, signalChild, type RegisteredChild } from './registry.ts';

export interface SpawnOptions {
  /** human name used in errors and pidfiles, e.g. "qemu:reference" */
  label: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** kill the child after this many ms (undefined: lives until stopped) */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** where pidfiles go so that a killed run's leftovers are found at the next start */
  stateRoot?: string;
  stdin?: 'pipe' | 'ignore';
  /** extra stdio entries (e.g. 'pipe' for fd 3) */
  extraStdio?: Array<'pipe' | 'ignore'>;
}

export interface ManagedProcess {
  readonly pid: number;
  readonly label: string;
  readonly child: ResultPromise;
  /** resolves when the process has exited, with its exit code or signal; never rejects */
  readonly exited: Promise<{ exitCode?: number; signal?: string }>;
  /** SIGTERM the process group, then SIGKILL after graceMs; resolves once reaped */
  stop(graceMs?: number): Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';
const canPdeathsig = process.platform === 'linux' && existsSync(SETPRIV);

export function spawnManaged(file: string, args: readonly string[], opts: SpawnOptions): ManagedProcess {
  const [cmd, argv] = canPdeathsig
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', file, ...args]]
    : [file, [...args]];
  const child = execa(cmd, argv, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: opts.stdin ?? 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    stdio: opts.extraStdio ? ['pipe', 'pipe', 'pipe', ...opts.extraStdio] : undefined,
    timeout: opts.timeoutMs,
    cancelSignal: opts.signal,
    forceKillAfterDelay: 2000,
    killSignal: 'SIGTERM',
  } as never) as unknown as ResultPromise;
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`could not start ${opts.label}: ${file} (is it installed and executable?)`);
  }
  const entry: RegisteredChild = { pid, label: opts.label, groupLeader: true };
  register(entry, opts.stateRoot);
  const exited = (child as unknown as Promise<{ exitCode?: number; signal?: string }>).then(
    (r) => {
      // the group may still hold descendants of a child that exited
      signalChild(entry, 'SIGKILL');
      unregister(pid);
      return { exitCode: r.exitCode, signal: r.signal };
    },
    (e: { exitCode?: number; signal?: string }) => {
      signalChild(entry, 'SIGKILL');
      unregister(pid);
      return { exitCode: e.exitCode, signal: e.signal };
    },
  );
  const stop = async (graceMs = 2000): Promise<void> => {
    signalChild(entry, 'SIGTERM');
    const timer = setTimeout(() => signalChild(entry, 'SIGKILL'), graceMs);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return { pid, label: opts.label, child, exited, stop };
}

export interface CommandResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  failed: boolean;
  /** set when the program could not be started at all (ENOENT, EACCES) */
  spawnError?: string;
}

/** Run a command to completion with a bound; never throws for a non-zero exit. */
export async function runCommand(
  file: string,
  args: readonly string[],
  opts: {
    timeoutMs: number;
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    signal?: AbortSignal;
  },
): Promise<CommandResult> {
  const r = await execa(file, [...args], {
    cwd: opts.cwd,
    env: opts.env,
    input: opts.input,
    timeout: opts.timeoutMs,
    cancelSignal: opts.signal,
    reject: false,
    forceKillAfterDelay: 1000,
    stripFinalNewline: true,
    all: false,
  });
  const code = (r as { code?: string }).code;
  const spawnError = code === 'ENOENT' || code === 'EACCES' ? `${file}: ${code}` : undefined;
  return {
    exitCode: r.exitCode,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    timedOut: r.timedOut,
    failed: r.failed,
    spawnError,
  };
}
