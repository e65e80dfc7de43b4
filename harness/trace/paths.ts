// The trace path contract: every trace artifact lives under /log/trace/ (the
// directory TRACE_OUT overrides). Upstream's recorder wrote to /srv/trace and,
// when that failed, to a temp directory; both are flagged here.
//
// /srv/trace is not wholly forbidden: the contract itself puts the queens'
// consensus files there (consensus/<ts>.log, fault/<ts>.error, current.snapshot)
// and the cloud hook /srv/trace/completed. Anything else under /srv/trace is a
// recorder writing to the wrong place.
import { posix } from 'node:path';
import type { NamespaceReader } from './source.ts';

export const TRACE_DIR = '/log/trace/';

export type PathVerdict =
  | { path: string; ok: true; kind: 'trace' | 'consensus' }
  | { path: string; ok: false; kind: 'srv-trace' | 'temp-fallback' | 'elsewhere'; reason: string };

const CONSENSUS_FILES = [
  /^\/srv\/trace\/consensus\/[^/]+\.log$/,
  /^\/srv\/trace\/fault\/[^/]+\.error$/,
  /^\/srv\/trace\/current\.snapshot$/,
  /^\/srv\/trace\/completed(\/.*)?$/,
];

const TEMP_PREFIXES = ['/tmp/', '/var/tmp/', '/dev/shm/'];

/** Judge one namespace path where a trace artifact was found. `traceDir` is TRACE_OUT when set. */
export function judgeTracePath(path: string, traceDir = TRACE_DIR): PathVerdict {
  const p = posix.normalize(path);
  const dir = traceDir.endsWith('/') ? traceDir : `${traceDir}/`;
  if (p.startsWith(dir)) return { path, ok: true, kind: 'trace' };
  if (CONSENSUS_FILES.some((re) => re.test(p))) return { path, ok: true, kind: 'consensus' };
  if (p === '/srv/trace' || p.startsWith('/srv/trace/')) {
    return {
      path,
      ok: false,
      kind: 'srv-trace',
      reason: `${path}: trace written under /srv/trace (the upstream recorder defect); recorders must write under ${dir} (or TRACE_OUT)`,
    };
  }
  if (TEMP_PREFIXES.some((t) => p.startsWith(t))) {
    return {
      path,
      ok: false,
      kind: 'temp-fallback',
      reason: `${path}: trace fell back to a temp directory; ${dir} must exist and be writable for the recorder`,
    };
  }
  return { path, ok: false, kind: 'elsewhere', reason: `${path}: trace artifact outside ${dir}` };
}

export function judgeTracePaths(paths: readonly string[], traceDir = TRACE_DIR): PathVerdict[] {
  return paths.map((p) => judgeTracePath(p, traceDir));
}

/**
 * Find every trace artifact in a namespace: all files under /log/trace and
 * /srv/trace, and files under the temp directories whose name mentions "trace".
 */
export async function findTraceArtifacts(ns: NamespaceReader, traceDir = TRACE_DIR): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, filter: (name: string) => boolean): Promise<void> => {
    for (const e of await ns.readDir(dir)) {
      const full = posix.join(dir, e.name);
      if (e.isDir) await walk(full, filter);
      else if (filter(full)) out.push(full);
    }
  };
  const all = (): boolean => true;
  await walk(traceDir.replace(/\/$/, '') || '/', all);
  await walk('/srv/trace', all);
  for (const t of TEMP_PREFIXES) await walk(t.replace(/\/$/, ''), (f) => /trace/i.test(posix.basename(f)));
  return [...new Set(out)].sort();
}
