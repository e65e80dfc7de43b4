// The synthetic namespace behind the reference release console, laid out as
// a release's (cohsh-console.md), and who may see what: a queen sees
// everything; a heartbeat worker sees /proc/boot, its own telemetry and
// /log/queen.log (read-only). Other worker roles see /proc/boot and their own
// telemetry.
import { checkQueenCtl } from './queen-ctl.ts';
import { releaseProcBootLines } from './proc-boot-lines.ts';
import { Lifecycle } from './lifecycle.ts';
import { TelemetryPush } from './telemetry-push.ts';
import {
  fileNode,
  lines,
  observabilityNodes,
  procTestNodes,
  type AppendOutcome,
  type NsNode,
  type SessionStats,
} from './nodes.ts';

export interface ProcBootFields {
  release: string;
  profile: string;
  target: string;
  gic_version: string;
  manifest_sha256: string;
  binaries: string;
  console: string;
}

/** `/` as a release lists it, then `/proc` and `/host` */
const DIRS = [
  ...['gpu', 'kmesg', 'log', 'proc', 'queen', 'trace', 'updates', 'shard', 'worker', 'host'].map(
    (d) => `/${d}`,
  ),
  ...['boot', 'tests', 'lifecycle', '9p', 'ingest', 'root', 'pressure'].map((d) => `/proc/${d}`),
  ...['systemd', 'k8s', 'docker', 'nvidia'].map((d) => `/host/${d}`),
];

export interface NamespaceOptions {
  /** where the /proc/tests/*.coh scripts come from (default reference/release/proc-tests) */
  procTestsDir?: string;
}

const isLines = (p: readonly string[] | ProcBootFields): p is readonly string[] => Array.isArray(p);

export class ReleaseNamespace {
  private readonly nodes = new Map<string, NsNode>();
  readonly sessions: SessionStats = { active: 0, draining: 0 };
  readonly lifecycle: Lifecycle;
  readonly telemetry = new TelemetryPush();
  private readonly log: string[];
  private nextWorker = 1;
  private readonly ctl: string[] = [];
  private lifecycleAcceptsInvalid = false;

  /**
   * `procBoot`: the lines of /proc/boot as a release streams them (reference/release/bundle.ts),
   * or the reference's fields, printed after a release's lines
   */
  constructor(procBoot: readonly string[] | ProcBootFields, workers: string[], o: NamespaceOptions = {}) {
    const startedAt = Date.now();
    this.lifecycle = new Lifecycle(startedAt);
    // a release's /proc/boot lines first, then the reference's own fields
    this.nodes.set(
      '/proc/boot',
      fileNode(
        isLines(procBoot)
          ? [...procBoot]
          : [
              ...releaseProcBootLines(procBoot.profile, procBoot.manifest_sha256),
              ...Object.entries(procBoot).map(([k, v]) => `${k}=${v}`),
            ],
      ),
    );
    for (const [p, n] of procTestNodes(o.procTestsDir)) this.nodes.set(p, n);
    this.nodes.set(
      '/proc/lifecycle/state',
      lines(() => this.lifecycle.stateLines()),
    );
    this.nodes.set(
      '/proc/lifecycle/reason',
      lines(() => this.lifecycle.reasonLines()),
    );
    this.nodes.set(
      '/proc/lifecycle/since',
      lines(() => this.lifecycle.sinceLines()),
    );
    this.nodes.set(
      '/proc/9p/sessions',
      lines(() => [String(this.sessions.active)]),
    );
    this.nodes.set('/proc/9p/outstanding', fileNode(['0']));
    this.nodes.set('/proc/9p/short_writes', fileNode(['0']));
    for (const [p, n] of observabilityNodes(this.sessions, startedAt)) this.nodes.set(p, n);
    this.nodes.set('/queen/ctl', { read: () => this.ctl, append: (t) => this.queenCtl(t) });
    this.log = ['queen: online', `queen: ${workers.length} workers registered`];
    this.nodes.set('/log/queen.log', fileNode(this.log, { appendable: true, summaryOnly: true }));
    for (const w of workers) this.addWorker(w);
  }

  /** the lifecycle-accepts-invalid defect */
  acceptInvalidTransitions(on: boolean): void {
    this.lifecycleAcceptsInvalid = on;
  }

  /** the node at `path`, or undefined when there is none */
  node(path: string): NsNode | undefined {
    if (path === '/queen/lifecycle/ctl')
      return {
        read: () => [],
        append: (t) => {
          const r = this.lifecycle.apply(t, this.lifecycleAcceptsInvalid);
          return r.ok ? { ok: true } : r;
        },
      };
    return this.nodes.get(path) ?? this.telemetry.resolve(path);
  }

  /** the names under a directory in a release's order, or undefined when `path` is not a directory */
  list(path: string): string[] | undefined {
    const dir = path === '/' ? '' : path.replace(/\/+$/, '');
    const all = [...DIRS, ...this.nodes.keys(), '/queen/lifecycle/ctl', ...this.telemetry.paths()];
    const names: string[] = [];
    for (const p of all) {
      if (!p.startsWith(`${dir}/`)) continue;
      const name = p.slice(dir.length + 1).split('/')[0]!;
      if (name && !names.includes(name)) names.push(name);
    }
    if (names.length === 0 && !DIRS.includes(path)) return undefined;
    return names;
  }

  addWorker(id: string): void {
    this.nodes.set(
      `/worker/${id}/telemetry`,
      fileNode([`{"worker":"${id}","tick":0,"state":"ready"}`], { appendable: true }),
    );
  }

  /** a checked JSON command on /queen/ctl; a heartbeat spawn starts a worker, as the queen would */
  private queenCtl(text: string): AppendOutcome {
    const r = checkQueenCtl(text);
    if (!r.ok) return r;
    this.ctl.push(text);
    const c = r.command;
    if ('spawn' in c && c.spawn === 'heartbeat') {
      const id = `worker-${this.nextWorker++}`;
      this.addWorker(id);
      this.log.push(`queen: spawned heartbeat ${id}`);
    } else if ('kill' in c) this.log.push(`queen: kill ${c.kill}`);
    else if ('bind' in c) this.log.push(`queen: bind ${c.bind.from} ${c.bind.to}`);
    return { ok: true };
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

/** a queen may append wherever a node takes appends; a worker only to its own telemetry */
export function mayAppend(s: Session, path: string, workerSeesAll = false): boolean {
  if (s.role === 'queen' || workerSeesAll) return true;
  return Boolean(s.subject && path === `/worker/${s.subject}/telemetry`);
}
