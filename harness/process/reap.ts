// Instances left behind by a run that was SIGKILLed (its exit hooks never ran)
// are found by their pidfiles at the next start and killed with their group.
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pidDir } from './registry.ts';

/** whether a pid exists (EPERM: it does, owned by someone else) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Reaped {
  pid: number;
  label: string;
}

/** Kill children whose harness is gone; returns what was reaped. Safe to run while other harnesses live. */
export function reapStale(stateRoot: string): Reaped[] {
  const dir = pidDir(stateRoot);
  if (!existsSync(dir)) return [];
  const reaped: Reaped[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const file = join(dir, f);
    let info: { pid: number; label: string; ppid: number };
    try {
      info = JSON.parse(readFileSync(file, 'utf8')) as typeof info;
    } catch {
      rmSync(file, { force: true });
      continue;
    }
    if (alive(info.ppid)) continue; // its harness still runs: not ours to touch
    if (alive(info.pid)) {
      try {
        process.kill(-info.pid, 'SIGKILL');
      } catch {
        try {
          process.kill(info.pid, 'SIGKILL');
        } catch {
          // gone between the check and the kill
        }
      }
      reaped.push({ pid: info.pid, label: info.label });
    }
    rmSync(file, { force: true });
  }
  return reaped;
}
