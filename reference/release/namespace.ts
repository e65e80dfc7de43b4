// The synthetic namespace behind the reference release console, and who may
// see what: a queen sees everything; a heartbeat worker sees /proc/boot, its
// own telemetry and /log/queen.log (read-only). Other worker roles see
// /proc/boot and their own telemetry.

export class ReleaseNamespace {
  readonly files = new Map<string, string[]>();
  private nextWorker = 1;

  /** `procBoot`: the lines of /proc/boot as a release streams them (reference/release/bundle.ts), or key → value */
  constructor(procBoot: readonly string[] | Record<string, string>, workers: string[]) {
    this.files.set(
      '/proc/boot',
      Array.isArray(procBoot) ? [...procBoot] : Object.entries(procBoot).map(([k, v]) => `${k}=${v}`),
    );
    this.files.set('/proc/9p/sessions', ['0']);
    this.files.set('/proc/9p/outstanding', ['0']);
    this.files.set('/proc/9p/short_writes', ['0']);
    this.files.set('/queen/ctl', []);
    this.files.set('/log/queen.log', ['queen: online', `queen: ${workers.length} workers registered`]);
    for (const w of workers) this.addWorker(w);
  }

  addWorker(id: string): void {
    this.files.set(`/worker/${id}/telemetry`, [`{"worker":"${id}","tick":0,"state":"ready"}`]);
  }

  /** `{"spawn":"heartbeat","ticks":N}` on /queen/ctl starts a worker, as the queen would */
  applyQueenCtl(line: string): void {
    let cmd: unknown;
    try {
      cmd = JSON.parse(line);
    } catch {
      return;
    }
    if (cmd && typeof cmd === 'object' && (cmd as { spawn?: unknown }).spawn === 'heartbeat') {
      const id = `worker-${this.nextWorker++}`;
      this.addWorker(id);
      this.files.get('/log/queen.log')!.push(`queen: spawned heartbeat ${id}`);
    }
  }
}

export interface Session {
  role: string;
  subject?: string;
}

/** paths a session may read; `workerSeesAll` is the console-worker-sees-queen defect */
export function mayRead(s: Session, path: string, workerSeesAll = false): boolean {
  if (s.role === 'queen' || workerSeesAll) return true;
  if (path === '/proc/boot') return true;
  if (s.subject && path === `/worker/${s.subject}/telemetry`) return true;
  if (s.role === 'worker-heartbeat' && path === '/log/queen.log') return true;
  return false;
}

export function mayAppend(s: Session, path: string, workerSeesAll = false): boolean {
  if (s.role === 'queen') return path === '/queen/ctl' || path === '/log/queen.log';
  if (workerSeesAll) return true;
  return Boolean(s.subject && path === `/worker/${s.subject}/telemetry`);
}
