// Semantic diff of two trace snapshots: which events were added, removed or
// changed, matched by a configurable key, ignoring volatile fields.
//
// Why this design (bounded memory on a 1 GB trace):
// - Matching needs, for every event of B, the event of A with the same key. An
//   in-memory map of A is O(|A|) memory. A key-ordered streaming merge needs both
//   sides sorted by key first, i.e. an external sort: O(n log n) with several
//   passes over the data on disk.
// - Instead we hash-partition (a "grace hash join"): one streaming pass over each
//   side writes every event, reduced to (position, key, comparable form), into
//   bucket hash(key) mod N on disk. Equal keys always land in the same bucket, so
//   each bucket pair is diffed independently with an in-memory map of A's bucket
//   only. N is chosen from the input size so a bucket stays near `partitionBytes`:
//   memory is bounded by one bucket plus N small write buffers, whatever the trace
//   size; I/O is two sequential passes (read + bucket write, bucket read).
// - Each bucket's deviations are sorted by position and spooled as a run; a final
//   k-way merge of the runs emits records in trace order (file, then line), so the
//   output is deterministic and readable without ever holding all of it.
// - A bucket can only overfill through hot keys (e.g. --key agent: a handful of
//   distinct keys). Such a bucket pair is split again by hash(key, occurrence),
//   with occurrences counted while streaming it and stored in the entries, so a
//   hot key's events spread evenly and memory stays bounded for any key choice.
// - Duplicate keys (the same action done twice) match in order of occurrence:
//   the 2nd such event of A matches the 2nd of B. Occurrences are counted inside a
//   bucket, which is exact because all events with one key share a bucket and
//   buckets preserve stream order.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from './canonical.ts';
import { BucketWriter, readBucket } from './spool.ts';
import { MinHeap } from './heap.ts';
import type { TraceSource } from './source.ts';

/** Pseudo-field usable in a key: the file's path relative to the snapshot root. */
export const FILE_FIELD = '$file';

export interface DiffOptions {
  /** fields whose values identify "the same event" in both snapshots; dotted paths reach into objects */
  key: readonly string[];
  /** volatile fields left out of matching and comparison (timestamps, nonces); dotted paths allowed */
  ignore: readonly string[];
  /** where buckets are spooled (a private folder is made inside and removed) */
  tmpDir?: string;
  /** target bytes per bucket; memory use is about a small multiple of this */
  partitionBytes?: number;
  maxPartitions?: number;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = {
  key: [FILE_FIELD, 'agent', 'event', 'detail'],
  ignore: ['ts', 'nonce'],
};

export interface Position {
  file: string;
  line: number;
}

export interface FieldChange {
  /** dotted path of the field ("ok", "detail.path") */
  field: string;
  a?: unknown;
  b?: unknown;
}

export type DiffRecord =
  | { kind: 'removed'; key: unknown[]; occurrence: number; a: Position; event: unknown }
  | { kind: 'added'; key: unknown[]; occurrence: number; b: Position; event: unknown }
  | { kind: 'changed'; key: unknown[]; occurrence: number; a: Position; b: Position; changes: FieldChange[] };

export interface DiffSummary {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  eventsA: number;
  eventsB: number;
  /** lines that were not JSON objects; they are matched by their raw text */
  invalidA: number;
  invalidB: number;
  partitions: number;
  elapsedMs: number;
}

export type DiffSink = (record: DiffRecord) => void | Promise<void>;

export class TraceDiffError extends Error {
  override name = 'TraceDiffError';
}

const SEP = '\x1f'; // never appears in JSON text: control characters are escaped there
const OCC = '\x1e';

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function deletePath(obj: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[parts[i]!];
  }
  if (cur !== null && typeof cur === 'object')
    delete (cur as Record<string, unknown>)[parts[parts.length - 1]!];
}

/** Field-level differences between two comparable forms (already without volatile fields). */
export function fieldChanges(a: unknown, b: unknown, prefix = ''): FieldChange[] {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const out: FieldChange[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!(k in b)) out.push({ field: path, a: a[k] });
      else if (!(k in a)) out.push({ field: path, b: b[k] });
      else if (canonicalJson(a[k]) !== canonicalJson(b[k])) out.push(...fieldChanges(a[k], b[k], path));
    }
    return out;
  }
  return canonicalJson(a) === canonicalJson(b) ? [] : [{ field: prefix || '(event)', a, b }];
}

interface Reduced {
  key: string;
  comparable: string;
  invalid: boolean;
}

interface Reducer {
  /** top-level volatile fields, skipped while serializing (no delete: it deoptimizes objects) */
  skipTop: ReadonlySet<string>;
  /** dotted volatile paths, removed before serializing */
  nested: readonly string[];
  key: readonly string[];
}

function reducer(opts: DiffOptions): Reducer {
  return {
    skipTop: new Set(opts.ignore.filter((f) => !f.includes('.'))),
    nested: opts.ignore.filter((f) => f.includes('.')),
    key: opts.key,
  };
}

function reduce(text: string, file: string, r: Reducer): Reduced {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      key: canonicalJson(['$invalid', file, text]),
      comparable: JSON.stringify({ $invalid: text }),
      invalid: true,
    };
  }
  const obj = value as Record<string, unknown>;
  for (const f of r.nested) deletePath(obj, f);
  const key = r.key.map((k) => (k === FILE_FIELD ? file : (getPath(obj, k) ?? null)));
  return { key: canonicalJson(key), comparable: canonicalJson(obj, r.skipTop), invalid: false };
}

interface SideStats {
  events: number;
  invalid: number;
  files: string[];
}

async function partitionSide(
  source: TraceSource,
  writer: BucketWriter,
  n: number,
  opts: DiffOptions,
): Promise<SideStats> {
  const stats: SideStats = { events: 0, invalid: 0, files: [] };
  const red = reducer(opts);
  for (const f of await source.list()) {
    const fileIdx = stats.files.push(f.path) - 1;
    for await (const batch of source.lines(f.path)) {
      for (const { n: line, text } of batch) {
        if (text.trim() === '') continue;
        const r = reduce(text, f.path, red);
        stats.events++;
        if (r.invalid) stats.invalid++;
        const flushing = writer.write(
          fnv1a(r.key) % n,
          `${fileIdx}${SEP}${line}${SEP}${r.key}${SEP}${SEP}${r.comparable}`,
        );
        if (flushing) await flushing;
      }
    }
  }
  return stats;
}

interface BucketEntry {
  file: number;
  line: number;
  key: string;
  occurrence: number;
  comparable: string;
}

function parseEntry(text: string, occurrences: Map<string, number>): BucketEntry {
  const i1 = text.indexOf(SEP);
  const i2 = text.indexOf(SEP, i1 + 1);
  const i3 = text.indexOf(SEP, i2 + 1);
  const i4 = text.indexOf(SEP, i3 + 1);
  const key = text.slice(i2 + 1, i3);
  // level-0 buckets leave the occurrence empty: it is counted here, in stream order;
  // sub-buckets of a split carry it explicitly (their key's events are spread out)
  let occurrence: number;
  if (i4 === i3 + 1) {
    occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
  } else occurrence = Number(text.slice(i3 + 1, i4));
  return {
    file: Number(text.slice(0, i1)),
    line: Number(text.slice(i1 + 1, i2)),
    key,
    occurrence,
    comparable: text.slice(i4 + 1),
  };
}

function formatEntry(e: BucketEntry): string {
  return `${e.file}${SEP}${e.line}${SEP}${e.key}${SEP}${e.occurrence}${SEP}${e.comparable}`;
}

/**
 * Sort key of a record: where a reader would look for it, the same place its
 * annotation points at. Removed events exist only in A; added and changed ones are
 * shown where they are now, in B. At one file:line, removals come first.
 */
function orderOf(r: DiffRecord): [string, number, number] {
  if (r.kind === 'removed') return [r.a.file, r.a.line, 0];
  return [r.b.file, r.b.line, r.kind === 'changed' ? 1 : 2];
}

function before(x: DiffRecord, y: DiffRecord): boolean {
  const [fx, lx, kx] = orderOf(x);
  const [fy, ly, ky] = orderOf(y);
  if (fx !== fy) return fx < fy;
  if (lx !== ly) return lx < ly;
  return kx < ky;
}

async function diffBucket(
  pathA: string,
  pathB: string,
  filesA: string[],
  filesB: string[],
  counts: { unchanged: number },
): Promise<DiffRecord[]> {
  const occA = new Map<string, number>();
  const fromA = new Map<string, BucketEntry>();
  for await (const batch of readBucket(pathA)) {
    for (const { text } of batch) {
      const e = parseEntry(text, occA);
      fromA.set(e.key + OCC + e.occurrence, e);
    }
  }
  occA.clear();
  const out: DiffRecord[] = [];
  const occB = new Map<string, number>();
  for await (const batch of readBucket(pathB)) {
    for (const { text } of batch) {
      const e = parseEntry(text, occB);
      const id = e.key + OCC + e.occurrence;
      const a = fromA.get(id);
      if (a && a.comparable === e.comparable) {
        fromA.delete(id);
        counts.unchanged++;
        continue;
      }
      const key = JSON.parse(e.key) as unknown[];
      const posB = { file: filesB[e.file]!, line: e.line };
      if (!a) {
        out.push({ kind: 'added', key, occurrence: e.occurrence, b: posB, event: JSON.parse(e.comparable) });
        continue;
      }
      fromA.delete(id);
      out.push({
        kind: 'changed',
        key,
        occurrence: e.occurrence,
        a: { file: filesA[a.file]!, line: a.line },
        b: posB,
        changes: fieldChanges(JSON.parse(a.comparable), JSON.parse(e.comparable)),
      });
    }
  }
  for (const a of fromA.values()) {
    out.push({
      kind: 'removed',
      key: JSON.parse(a.key) as unknown[],
      occurrence: a.occurrence,
      a: { file: filesA[a.file]!, line: a.line },
      event: JSON.parse(a.comparable),
    });
  }
  return out.sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
}

/** Reads a sorted run one record at a time, refilling from disk a batch at a time. */
class RunCursor {
  private batch: Array<{ text: string }> = [];
  private i = 0;
  private readonly it: AsyncIterator<Array<{ text: string }>>;
  constructor(path: string) {
    this.it = readBucket(path)[Symbol.asyncIterator]();
  }
  async next(): Promise<DiffRecord | undefined> {
    while (this.i >= this.batch.length) {
      const r = await this.it.next();
      if (r.done) return undefined;
      this.batch = r.value;
      this.i = 0;
    }
    return JSON.parse(this.batch[this.i++]!.text) as DiffRecord;
  }
}

async function mergeRuns(runPaths: string[], sink: DiffSink): Promise<void> {
  type Head = { rec: DiffRecord; it: RunCursor };
  const heap = new MinHeap<Head>((x, y) => before(x.rec, y.rec));
  const advance = async (it: RunCursor): Promise<void> => {
    const rec = await it.next();
    if (rec) heap.push({ rec, it });
  };
  for (const p of runPaths) await advance(new RunCursor(p));
  for (let h = heap.pop(); h; h = heap.pop()) {
    await sink(h.rec);
    await advance(h.it);
  }
}

interface BucketPair {
  a: string;
  b: string;
  depth: number;
}

/** A bucket this many times the target size is split again (only hot keys get there). */
const SPLIT_FACTOR = 4;
const MAX_SPLIT_DEPTH = 2;

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

/**
 * Split an oversized bucket pair by hash(key, occurrence). Occurrences are counted
 * while streaming each side (a map of this bucket's distinct keys: small, since a
 * bucket only gets oversized through few hot keys) and written into the entries,
 * so matching stays exact although one key's events now land in many sub-buckets.
 */
async function splitBucket(pair: BucketPair, dir: string, prefix: string, m: number): Promise<BucketPair[]> {
  const subA = new BucketWriter(dir, `${prefix}a`, m);
  const subB = new BucketWriter(dir, `${prefix}b`, m);
  try {
    for (const [path, writer] of [
      [pair.a, subA],
      [pair.b, subB],
    ] as const) {
      const occ = new Map<string, number>();
      for await (const batch of readBucket(path)) {
        for (const { text } of batch) {
          const e = parseEntry(text, occ);
          const flushing = writer.write(fnv1a(`${e.key}${OCC}${e.occurrence}`) % m, formatEntry(e));
          if (flushing) await flushing;
        }
      }
      await writer.close();
      await rm(path, { force: true });
    }
  } finally {
    await Promise.all([subA.abort(), subB.abort()]);
  }
  return subA.paths.map((a, i) => ({ a, b: subB.paths[i]!, depth: pair.depth + 1 }));
}

/**
 * Diff snapshot `a` (baseline) against `b` (current), streaming every deviation to
 * `sink` in trace order, and return the counts. Memory stays bounded by
 * `partitionBytes` whatever the size of the traces (see the design note above).
 */
export async function diffTraces(
  a: TraceSource,
  b: TraceSource,
  options: Partial<DiffOptions>,
  sink: DiffSink,
): Promise<DiffSummary> {
  const opts: DiffOptions = { ...DEFAULT_DIFF_OPTIONS, ...options };
  if (opts.key.length === 0)
    throw new TraceDiffError('diff key is empty: give at least one field (e.g. --key agent,event,detail)');
  const clash = opts.key.find((k) => opts.ignore.includes(k));
  if (clash)
    throw new TraceDiffError(`field "${clash}" is both in the key and ignored; remove it from one of them`);
  const started = performance.now();
  const [listA, listB] = await Promise.all([a.list(), b.list()]);
  if (listA.length === 0)
    throw new TraceDiffError(`${a.label}: no trace files (*.log, *.jsonl) found; is this a snapshot folder?`);
  if (listB.length === 0)
    throw new TraceDiffError(`${b.label}: no trace files (*.log, *.jsonl) found; is this a snapshot folder?`);
  const bytesA = listA.reduce((s, f) => s + f.size, 0);
  const bytesB = listB.reduce((s, f) => s + f.size, 0);
  const target = opts.partitionBytes ?? 4 * 1024 * 1024;
  // reduced records are ~1.5x the raw line (key + comparable form); size for the larger side
  const n = Math.max(
    1,
    Math.min(opts.maxPartitions ?? 1024, Math.ceil((Math.max(bytesA, bytesB) * 1.5) / target)),
  );

  const dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'cohesix-qa-trace-diff-'));
  const writerA = new BucketWriter(dir, 'a', n);
  const writerB = new BucketWriter(dir, 'b', n);
  try {
    const statsA = await partitionSide(a, writerA, n, opts);
    await writerA.close();
    const statsB = await partitionSide(b, writerB, n, opts);
    await writerB.close();

    const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
    const runPaths: string[] = [];
    let leaves = 0;
    let splits = 0;
    const work: BucketPair[] = writerA.paths.map((pa, i) => ({ a: pa, b: writerB.paths[i]!, depth: 0 }));
    while (work.length > 0) {
      const pair = work.shift()!;
      const biggest = Math.max(await sizeOf(pair.a), await sizeOf(pair.b));
      if (biggest > SPLIT_FACTOR * target && pair.depth < MAX_SPLIT_DEPTH) {
        // a hot key (e.g. --key agent) put too much in one bucket: spread it by (key, occurrence)
        const m = Math.min(opts.maxPartitions ?? 256, Math.ceil(biggest / target));
        work.push(...(await splitBucket(pair, dir, `s${splits++}`, m)));
        continue;
      }
      leaves++;
      const records = await diffBucket(pair.a, pair.b, statsA.files, statsB.files, counts);
      await rm(pair.a, { force: true });
      await rm(pair.b, { force: true });
      if (records.length === 0) continue;
      for (const r of records) counts[r.kind]++;
      const run = join(dir, `run-${runPaths.length}.jsonl`);
      await writeFile(run, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      runPaths.push(run);
    }
    await mergeRuns(runPaths, sink);
    return {
      ...counts,
      eventsA: statsA.events,
      eventsB: statsB.events,
      invalidA: statsA.invalid,
      invalidB: statsB.invalid,
      partitions: leaves,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    await Promise.all([writerA.abort(), writerB.abort()]);
    await rm(dir, { recursive: true, force: true });
  }
}

export function deviationCount(s: DiffSummary): number {
  return s.added + s.removed + s.changed;
}
