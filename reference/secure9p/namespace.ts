// The reference server's synthetic file tree. One global tree holds every
// agent's root (e.g. /srv/drone) populated with the Cohesix skeleton, and the
// shared system files (/log, /etc/cohcap.json) that every agent's root also
// links to. Log files are live views of host files written by the audit log.
import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { QTDIR, QTFILE, DMDIR, type Qid, type Stat } from '../../contract/ninep/codec.ts';

export interface Node {
  name: string;
  qid: Qid;
  /** permission bits (DMDIR set for directories) */
  mode: number;
  mtime: number;
  children?: Map<string, Node>;
  data?: Buffer;
  /** content read from elsewhere at each read (log files) */
  live?: () => Buffer;
  /** system file or directory no agent may change */
  system?: boolean;
  owner: string;
}

let nextPath = 1n;

export function isDir(n: Node): boolean {
  return n.children !== undefined;
}

export function makeDir(name: string, owner: string, system = false): Node {
  return {
    name,
    qid: { type: QTDIR, version: 0, path: nextPath++ },
    mode: (DMDIR | 0o755) >>> 0,
    mtime: now(),
    children: new Map(),
    owner,
    system,
  };
}

export function makeFile(name: string, owner: string, data: Buffer | string = '', system = false): Node {
  return {
    name,
    qid: { type: QTFILE, version: 0, path: nextPath++ },
    mode: 0o644,
    mtime: now(),
    data: Buffer.from(data),
    owner,
    system,
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

export function contentOf(n: Node): Buffer {
  return n.live ? n.live() : (n.data ?? Buffer.alloc(0));
}

export function statOf(n: Node): Stat {
  return {
    type: 0,
    dev: 0,
    qid: n.qid,
    mode: n.mode,
    atime: n.mtime,
    mtime: n.mtime,
    length: isDir(n) ? 0n : BigInt(contentOf(n).length),
    name: n.name,
    uid: n.owner,
    gid: n.owner,
    muid: n.owner,
  };
}

export function touch(n: Node): void {
  n.qid = { ...n.qid, version: (n.qid.version + 1) >>> 0 };
  n.mtime = now();
}

/** Make (or find) the directory at `path` below `from`, creating missing parts. */
export function mkdirp(from: Node, path: string, owner: string): Node {
  let cur = from;
  for (const part of path.split('/').filter(Boolean)) {
    let next = cur.children!.get(part);
    if (!next) {
      next = makeDir(part, owner);
      cur.children!.set(part, next);
    }
    cur = next;
  }
  return cur;
}

export function addFile(dir: Node, path: string, owner: string, data: Buffer | string, system = false): Node {
  const parts = path.split('/').filter(Boolean);
  const name = parts.pop()!;
  const parent = mkdirp(dir, parts.join('/'), owner);
  const f = makeFile(name, owner, data, system);
  parent.children!.set(name, f);
  return f;
}

/** Host files that back the live log views. */
export interface LogFiles {
  secure9p: string;
  plain: string;
  trace: string;
  /** where the live trace appears in every namespace (default /log/trace/live.log; TRACE_OUT moves it) */
  traceNsPath?: string;
}

function liveFile(name: string, hostPath: string): Node {
  const n = makeFile(name, 'sys', '', true);
  n.live = () => (existsSync(hostPath) ? readFileSync(hostPath) : Buffer.alloc(0));
  n.mode = 0o444;
  return n;
}

export interface AgentTree {
  agent: string;
  /** the agent's root path in the global tree, as components */
  rootParts: string[];
  traceId: string;
}

/**
 * Build the global tree: the shared /log and /etc, and for each agent its root
 * directory holding the Cohesix skeleton plus links to the shared system dirs.
 */
export function buildTree(
  agents: Array<{ agent: string; root: string }>,
  logs: LogFiles,
  cohcap: string,
): { root: Node; agents: Map<string, AgentTree> } {
  const root = makeDir('/', 'sys', true);
  const log = mkdirp(root, 'log', 'sys');
  log.system = true;
  log.children!.set('net_trace_secure9p.log', liveFile('net_trace_secure9p.log', logs.secure9p));
  log.children!.set('net_trace.log', liveFile('net_trace.log', logs.plain));
  // the live trace: under the shared /log, or (TRACE_OUT elsewhere, or a recorder writing to
  // /srv/trace) in a shared system directory linked into every agent's namespace
  const traceParts = (logs.traceNsPath ?? '/log/trace/live.log').split('/').filter(Boolean);
  const traceName = traceParts.pop()!;
  let traceLink: { parent: string[]; dir: Node } | undefined;
  if (traceParts[0] === 'log') {
    const dir = mkdirp(log, traceParts.slice(1).join('/'), 'sys');
    dir.system = true;
    dir.children!.set(traceName, liveFile(traceName, logs.trace));
  } else {
    const dir = makeDir(traceParts.at(-1) ?? 'trace', 'sys', true);
    dir.children!.set(traceName, liveFile(traceName, logs.trace));
    traceLink = { parent: traceParts.slice(0, -1), dir };
  }
  const etc = mkdirp(root, 'etc', 'sys');
  etc.system = true;
  const cap = addFile(etc, 'cohcap.json', 'sys', cohcap, true);
  cap.mode = 0o444;
  const out = new Map<string, AgentTree>();
  for (const { agent, root: rootPath } of agents) {
    const home = mkdirp(root, rootPath, agent);
    for (const d of [
      'proc',
      'mnt',
      'history/snapshots',
      'srv/telemetry',
      'srv/testlog',
      'sim/data',
      'input/cam',
      'tmp',
    ])
      mkdirp(home, d, agent);
    const traceId = randomBytes(4).toString('hex');
    addFile(home, 'srv/agent_meta/trace_id.txt', agent, traceId + '\n');
    addFile(home, 'srv/cohrole', agent, agent + '\n');
    addFile(home, 'srv/cuda', agent, 'tcp:127.0.0.1:0\n');
    addFile(
      home,
      'sim/data/frame-0001.json',
      agent,
      JSON.stringify({ frame: 1, agent, readings: [0.1, 0.2, 0.3] }) + '\n',
    );
    addFile(home, 'input/cam/frame.raw', agent, randomBytes(64));
    addFile(home, 'proc/status', agent, `agent ${agent}\nstate running\n`);
    // the shared system directories appear in every agent's namespace
    home.children!.set('log', log);
    home.children!.set('etc', etc);
    if (traceLink)
      mkdirp(home, traceLink.parent.join('/'), agent).children!.set(traceLink.dir.name, traceLink.dir);
    out.set(agent, { agent, rootParts: rootPath.split('/').filter(Boolean), traceId });
  }
  return { root, agents: out };
}

/** Resolve a list of names from the global root; undefined when a part is missing. */
export function resolveParts(root: Node, parts: readonly string[]): Node | undefined {
  let cur: Node | undefined = root;
  for (const p of parts) {
    cur = cur?.children?.get(p);
    if (!cur) return undefined;
  }
  return cur;
}
