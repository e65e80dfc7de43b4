// Where trace files come from. A TraceSource lists trace files under one root
// (a snapshot folder, /log/trace/, a single file) and streams their lines; the
// diff, validators and path checks only see this interface, so a local folder
// and a target's 9P namespace are read the same way.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, posix, relative, sep, basename } from 'node:path';
import { splitLineBatches, type NumberedLine } from './lines.ts';

export interface TraceFileInfo {
  /** path relative to the source root, '/'-separated (a single-file source uses its base name) */
  path: string;
  size: number;
}

export interface TraceSource {
  /** where this source reads from, for messages ("dir:/tmp/a", "9p:/history/snapshots/7") */
  readonly label: string;
  /** the trace files, sorted by path so results do not depend on directory order */
  list(): Promise<TraceFileInfo[]>;
  /** the file's lines, a chunk's worth at a time (see splitLineBatches) */
  lines(path: string): AsyncIterable<NumberedLine[]>;
}

/** Trace files are JSONL; these are the names recorders use. */
export const DEFAULT_TRACE_SUFFIXES = ['.log', '.jsonl', '.ndjson'] as const;

export class TraceSourceError extends Error {
  override name = 'TraceSourceError';
}

function isTraceFile(name: string, suffixes: readonly string[]): boolean {
  return suffixes.some((s) => name.endsWith(s));
}

/** Reads a local folder (recursively) or one local file. */
export class LocalTraceSource implements TraceSource {
  readonly label: string;
  constructor(
    readonly root: string,
    private readonly suffixes: readonly string[] = DEFAULT_TRACE_SUFFIXES,
  ) {
    this.label = `dir:${root}`;
  }

  async list(): Promise<TraceFileInfo[]> {
    let st;
    try {
      st = await stat(this.root);
    } catch (e) {
      throw new TraceSourceError(
        `${this.root}: cannot read trace location (${(e as NodeJS.ErrnoException).code ?? String(e)}); give an existing snapshot folder or JSONL file`,
      );
    }
    if (st.isFile()) return [{ path: basename(this.root), size: st.size }];
    if (!st.isDirectory()) throw new TraceSourceError(`${this.root}: neither a folder nor a file`);
    const out: TraceFileInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (e.isFile() && isTraceFile(e.name, this.suffixes)) {
          out.push({ path: relative(this.root, full).split(sep).join('/'), size: (await stat(full)).size });
        }
      }
    };
    await walk(this.root);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private resolve(path: string): string {
    // a single-file source lists the file under its base name
    const single = existsSync(this.root) && statSync(this.root).isFile();
    return single ? this.root : join(this.root, ...path.split('/'));
  }

  lines(path: string): AsyncIterable<NumberedLine[]> {
    const file = this.resolve(path);
    return splitLineBatches(createReadStream(file, { highWaterMark: 256 * 1024 }), file);
  }
}

/**
 * The few operations trace reading needs from a 9P namespace. The Secure9P client
 * (contract/ninep/) is adapted to this; keeping the interface this small means a
 * trace reader never depends on session details (fids, msize, tags).
 */
export interface NamespaceReader {
  /** entries of a directory (walk + open + read of a directory) */
  readDir(path: string): Promise<Array<{ name: string; isDir: boolean; size: number }>>;
  /** the file's bytes in chunks of at most msize (walk + open + read until EOF + clunk) */
  readStream(path: string): AsyncIterable<Buffer>;
  /** walk + stat; undefined when the path does not exist */
  stat(path: string): Promise<{ isDir: boolean; size: number } | undefined>;
}

/** Reads trace files below a directory of a target's namespace, e.g. /history/snapshots/<id>/. */
export class NamespaceTraceSource implements TraceSource {
  readonly label: string;
  constructor(
    private readonly ns: NamespaceReader,
    readonly root: string,
    private readonly suffixes: readonly string[] = DEFAULT_TRACE_SUFFIXES,
  ) {
    this.label = `9p:${root}`;
  }

  async list(): Promise<TraceFileInfo[]> {
    const st = await this.ns.stat(this.root);
    if (!st)
      throw new TraceSourceError(
        `${this.label}: no such file or directory in the namespace; give an existing snapshot folder or trace file`,
      );
    if (!st.isDir) {
      this.single = true;
      return [{ path: posix.basename(this.root), size: st.size }];
    }
    const out: TraceFileInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await this.ns.readDir(dir)) {
        const full = posix.join(dir, e.name);
        if (e.isDir) await walk(full);
        else if (isTraceFile(e.name, this.suffixes))
          out.push({ path: posix.relative(this.root, full), size: e.size });
      }
    };
    await walk(this.root);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private single = false;

  lines(path: string): AsyncIterable<NumberedLine[]> {
    const full = this.single ? this.root : posix.join(this.root, path);
    return splitLineBatches(this.ns.readStream(full), `9p:${full}`);
  }
}

/** A local directory that plays a namespace root: for the reference target, whose namespace is a folder. */
export class LocalNamespace implements NamespaceReader {
  constructor(readonly root: string) {}
  private local(path: string): string {
    return join(this.root, ...path.split('/').filter(Boolean));
  }
  async readDir(path: string): Promise<Array<{ name: string; isDir: boolean; size: number }>> {
    const entries = await readdir(this.local(path), { withFileTypes: true }).catch(
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return [];
        throw e;
      },
    );
    const out: Array<{ name: string; isDir: boolean; size: number }> = [];
    for (const e of entries) {
      const size = e.isFile() ? (await stat(join(this.local(path), e.name))).size : 0;
      out.push({ name: e.name, isDir: e.isDirectory(), size });
    }
    return out;
  }
  readStream(path: string): AsyncIterable<Buffer> {
    return createReadStream(this.local(path), { highWaterMark: 256 * 1024 });
  }
  async stat(path: string): Promise<{ isDir: boolean; size: number } | undefined> {
    try {
      const st = await stat(this.local(path));
      return { isDir: st.isDirectory(), size: st.size };
    } catch {
      return undefined;
    }
  }
}
