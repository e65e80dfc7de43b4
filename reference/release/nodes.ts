// The kinds of node behind the reference console's namespace: plain files
// (append-only logs among them), and the observability files a release
// serves under /proc as `key=value` lines (cohsh-console.md).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type AppendOutcome = { ok: true } | { ok: false; reason: string; detail: string; error: string };

export interface NsNode {
  read(): string[];
  /** absent: the node is read-only */
  append?(text: string): AppendOutcome;
  /** a CAT streams nothing, the content is only in the ack's summary (the recorded /log/queen.log) */
  summaryOnly?: boolean;
}

export function fileNode(lines: string[], o: { appendable?: boolean; summaryOnly?: boolean } = {}): NsNode {
  return {
    read: () => lines,
    append: o.appendable
      ? (t) => {
          lines.push(t);
          return { ok: true };
        }
      : undefined,
    summaryOnly: o.summaryOnly,
  };
}

export const lines = (f: () => string[]): NsNode => ({ read: f });

/** the console's session counters, kept by the console server */
export interface SessionStats {
  active: number;
  draining: number;
}

/** /proc/{root,pressure,ingest,9p/session} as a release lays them out */
export function observabilityNodes(stats: SessionStats, startedAt: number): Array<[string, NsNode]> {
  const uptime = (): number => Date.now() - startedAt;
  return [
    [
      '/proc/ingest/watch',
      lines(() => [`watch ts_ms=${uptime()} p50_ms=0 p95_ms=0 queued=0 backpressure=0 dropped=0`]),
    ],
    ['/proc/root/reachable', lines(() => ['reachable=1'])],
    ['/proc/root/last_seen_ms', lines(() => [`last_seen_ms=${uptime()}`])],
    ['/proc/root/cut_reason', lines(() => ['cut_reason=none'])],
    ['/proc/pressure/busy', lines(() => [`busy=${stats.active}`])],
    ['/proc/pressure/quota', lines(() => ['quota=0'])],
    ['/proc/pressure/cut', lines(() => ['cut=0'])],
    ['/proc/pressure/policy', lines(() => ['policy=0'])],
    ['/proc/9p/session/active', lines(() => [`active=${stats.active} draining=${stats.draining}`])],
  ];
}

/** the on-target self-test scripts shipped with the reference (helper pack in reference/release/proc-tests/) */
export const PROC_TESTS_DIR = resolve(import.meta.dirname, 'proc-tests');

/** `/proc/tests/<name>.coh` nodes, one per `.coh` file of `dir`, in name order */
export function procTestNodes(dir = PROC_TESTS_DIR): Array<[string, NsNode]> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new Error(
      `reference console: cannot list the /proc/tests scripts in ${dir} (${(e as Error).message}); restore the folder with at least one .coh script`,
    );
  }
  const names = entries.filter((n) => n.endsWith('.coh')).sort();
  return names.map((n) => {
    const text = readFileSync(join(dir, n), 'utf8').replace(/\r?\n$/, '');
    return [`/proc/tests/${n}`, fileNode(text.split(/\r?\n/))];
  });
}
