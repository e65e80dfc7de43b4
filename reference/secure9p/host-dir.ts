// A host folder grafted into the reference server's synthetic tree: a live view, so what
// a 9P client lists, reads, writes, creates and removes under it is the folder's content
// at that moment (other processes may add files between two requests). It lets a
// reference service export real state, e.g. the federation's /srv/alerts, through the
// reference Secure9P server without teaching the session about the host: the directory's
// `children` is a Map whose operations go to the folder, and a file's `data` reads and
// writes the host file. Only regular files and directories are shown (no symlinks, so a
// client can never be led outside the folder); names are single path elements.
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DMDIR, QTDIR, QTFILE } from '../../contract/ninep/codec.ts';
import { makeDir, makeFile, mkdirp, type Node } from './namespace.ts';

function plainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}

type Kind = 'dir' | 'file';

function kindOf(path: string): { kind: Kind; ino: number; mtimeMs: number } | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return { kind: 'dir', ino: st.ino, mtimeMs: st.mtimeMs };
  if (st.isFile()) return { kind: 'file', ino: st.ino, mtimeMs: st.mtimeMs };
  return undefined;
}

/**
 * The children of a host-backed directory. Nodes are cached per name and inode, so the
 * same file keeps its qid (and the session's identity checks on remove hold) while a
 * file re-created under the same name gets a new one.
 */
class HostChildren extends Map<string, Node> {
  private readonly cache = new Map<string, { ino: number; node: Node }>();

  constructor(
    private readonly hostDir: string,
    private readonly owner: string,
  ) {
    super();
  }

  private nodeFor(name: string): Node | undefined {
    if (!plainName(name)) return undefined;
    const path = join(this.hostDir, name);
    const k = kindOf(path);
    if (!k) {
      this.cache.delete(name);
      return undefined;
    }
    const had = this.cache.get(name);
    if (had && had.ino === k.ino && (had.node.children !== undefined) === (k.kind === 'dir')) {
      had.node.mtime = Math.floor(k.mtimeMs / 1000);
      return had.node;
    }
    const node =
      k.kind === 'dir' ? hostDirNode(name, path, this.owner) : hostFileNode(name, path, this.owner);
    node.mtime = Math.floor(k.mtimeMs / 1000);
    this.cache.set(name, { ino: k.ino, node });
    return node;
  }

  private names(): string[] {
    try {
      return readdirSync(this.hostDir)
        .filter((n) => plainName(n) && kindOf(join(this.hostDir, n)) !== undefined)
        .sort();
    } catch {
      return [];
    }
  }

  override get(name: string): Node | undefined {
    return this.nodeFor(name);
  }

  override has(name: string): boolean {
    return this.nodeFor(name) !== undefined;
  }

  /** Tcreate: make the file or directory on the host; the session then uses the node we cached. */
  override set(name: string, node: Node): this {
    if (!plainName(name)) throw new Error(`illegal file name ${JSON.stringify(name)}`);
    const path = join(this.hostDir, name);
    if (node.children !== undefined) mkdirSync(path, { mode: node.mode & 0o777 });
    else writeFileSync(path, node.data ?? Buffer.alloc(0), { flag: 'wx', mode: 0o644 });
    const made = this.nodeFor(name)!;
    // the session keeps the node it created: turn it into the live view of the host entry
    Object.assign(node, { qid: made.qid, mode: made.mode, mtime: made.mtime });
    if (made.children !== undefined) node.children = made.children;
    else liveData(node, path);
    this.cache.set(name, { ino: kindOf(path)!.ino, node });
    return this;
  }

  /** Tremove: unlink on the host (a non-empty directory is refused by the session before this). */
  override delete(name: string): boolean {
    const node = this.nodeFor(name);
    if (!node) return false;
    const path = join(this.hostDir, name);
    if (node.children !== undefined) rmdirSync(path);
    else rmSync(path);
    this.cache.delete(name);
    return true;
  }

  override get size(): number {
    return this.names().length;
  }

  override keys(): MapIterator<string> {
    return this.names()[Symbol.iterator]() as MapIterator<string>;
  }

  override values(): MapIterator<Node> {
    const nodes = this.names()
      .map((n) => this.nodeFor(n))
      .filter((n): n is Node => n !== undefined);
    return nodes[Symbol.iterator]() as MapIterator<Node>;
  }

  override entries(): MapIterator<[string, Node]> {
    const pairs = this.names()
      .map((n): [string, Node | undefined] => [n, this.nodeFor(n)])
      .filter((p): p is [string, Node] => p[1] !== undefined);
    return pairs[Symbol.iterator]() as MapIterator<[string, Node]>;
  }

  override [Symbol.iterator](): MapIterator<[string, Node]> {
    return this.entries();
  }

  override forEach(cb: (value: Node, key: string, map: Map<string, Node>) => void): void {
    for (const [k, v] of this.entries()) cb(v, k, this);
  }

  override clear(): void {
    throw new Error(`${this.hostDir}: a host-backed directory cannot be cleared as a whole`);
  }
}

/** Make `node.data` read and write the host file (the session reads `data` and assigns it on write). */
function liveData(node: Node, path: string): void {
  delete node.live;
  Object.defineProperty(node, 'data', {
    configurable: true,
    enumerable: true,
    get: () => {
      try {
        return readFileSync(path);
      } catch {
        return Buffer.alloc(0); // removed by someone else since the walk: reads see an empty file
      }
    },
    set: (b: Buffer) => writeFileSync(path, b),
  });
}

function hostFileNode(name: string, path: string, owner: string): Node {
  const n = makeFile(name, owner);
  n.qid = { ...n.qid, type: QTFILE };
  liveData(n, path);
  return n;
}

function hostDirNode(name: string, path: string, owner: string): Node {
  const n = makeDir(name, owner);
  n.qid = { ...n.qid, type: QTDIR };
  n.mode = (DMDIR | 0o755) >>> 0;
  n.children = new HostChildren(path, owner);
  return n;
}

/**
 * Show the host folder `hostDir` at `at` (an absolute path in the server's global tree,
 * e.g. /srv/queen/srv/alerts: the alerts of the agent whose root is /srv/queen). The
 * folder is created if missing. The same folder may be shown at several places.
 */
export function mountHostDir(tree: Node, at: string, hostDir: string, owner: string): Node {
  const parts = at.split('/').filter(Boolean);
  const name = parts.pop();
  if (!name || !parts.every(plainName) || !plainName(name))
    throw new Error(`cannot mount ${hostDir} at ${JSON.stringify(at)}: give an absolute path below /`);
  mkdirSync(hostDir, { recursive: true });
  const parent = mkdirp(tree, parts.join('/'), owner);
  const node = hostDirNode(name, hostDir, owner);
  parent.children!.set(name, node);
  return node;
}
