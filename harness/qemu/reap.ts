// Instances left behind by a run that was SIGKILLed (or lost its machine)
// are found through the instance.json each run directory holds, and killed
// at the next start. A recorded pid is only killed when its command line still
// names that run directory, so a recycled pid is never hit.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from '../process/reap.ts';

export interface InstanceRecord {
  pid: number;
  ownerPid: number;
  runDir: string;
  qmpSocket: string;
  startedAt: number;
  label: string;
}

export function instancesDir(stateRoot: string): string {
  return join(stateRoot, 'qemu');
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Kill and clean up every instance whose owner process is gone. Returns what was reaped. */
export function reapStaleInstances(stateRoot: string): InstanceRecord[] {
  const dir = instancesDir(stateRoot);
  if (!existsSync(dir)) return [];
  const reaped: InstanceRecord[] = [];
  for (const name of readdirSync(dir)) {
    const runDir = join(dir, name);
    let rec: InstanceRecord;
    try {
      rec = JSON.parse(readFileSync(join(runDir, 'instance.json'), 'utf8')) as InstanceRecord;
    } catch {
      continue; // being created right now, or not ours
    }
    if (rec.ownerPid !== process.pid && alive(rec.ownerPid)) continue; // a live run owns it
    if (rec.ownerPid === process.pid) continue; // ours, still managed
    if (alive(rec.pid) && cmdlineOf(rec.pid).includes(rec.qmpSocket)) {
      try {
        process.kill(-rec.pid, 'SIGKILL');
      } catch {
        try {
          process.kill(rec.pid, 'SIGKILL');
        } catch {
          /* gone meanwhile */
        }
      }
      reaped.push(rec);
    }
    rmSync(runDir, { recursive: true, force: true });
    if (!rec.qmpSocket.startsWith(runDir)) rmSync(rec.qmpSocket, { force: true });
  }
  return reaped;
}
