// The one list of child processes this harness started, kept on globalThis so
// that every copy of this module (the CLI loads it through tsx, vitest's global
// setup and workers through vite) shares it. On any exit path the list is
// walked and every process group still alive is killed.
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface RegisteredChild {
  pid: number;
  label: string;
  /** true when the child leads its own process group, so -pid reaches its descendants */
  groupLeader: boolean;
  /** pidfile that a later run uses to reap this child if we were SIGKILLed */
  pidfile?: string;
}

interface Registry {
  children: Map<number, RegisteredChild>;
  exitHookInstalled: boolean;
}

const KEY = Symbol.for('cohesix-qa.process-registry');

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[KEY];
  if (!r) {
    r = { children: new Map(), exitHookInstalled: false };
    g[KEY] = r;
  }
  if (!r.exitHookInstalled) {
    r.exitHookInstalled = true;
    // 'exit' handlers must be synchronous: a SIGKILL to each group is.
    process.on('exit', () => killAllSync('SIGKILL'));
  }
  return r;
}

/** Directory holding one pidfile per live child, so a killed run's leftovers can be reaped. */
export function pidDir(stateRoot: string): string {
  return join(stateRoot, 'pids');
}

export function register(child: RegisteredChild, stateRoot?: string): void {
  if (stateRoot) {
    const dir = pidDir(stateRoot);
    mkdirSync(dir, { recursive: true });
    child.pidfile = join(dir, `${child.pid}.json`);
    writeFileSync(
      child.pidfile,
      JSON.stringify({ pid: child.pid, label: child.label, ppid: process.pid, startedAt: Date.now() }),
    );
  }
  registry().children.set(child.pid, child);
}

export function unregister(pid: number): void {
  const r = registry();
  const child = r.children.get(pid);
  if (child?.pidfile) rmSync(child.pidfile, { force: true });
  r.children.delete(pid);
}

export function liveChildren(): RegisteredChild[] {
  return [...registry().children.values()];
}

export function signalChild(child: RegisteredChild, signal: NodeJS.Signals): void {
  try {
    process.kill(child.groupLeader ? -child.pid : child.pid, signal);
  } catch {
    // already gone
  }
}

export function killAllSync(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of liveChildren()) {
    signalChild(child, signal);
    if (child.pidfile) rmSync(child.pidfile, { force: true });
  }
  registry().children.clear();
}
