// The plan: which target, which suite files, which shard. Deterministic: the same
// inputs always give the same files in the same order, so shards never overlap.
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SUITES_DIR, PROJECT_ROOT } from '../paths.ts';
import { UsageError } from '../errors.ts';

export interface Shard {
  index: number;
  total: number;
}

export function listAreas(): string[] {
  if (!existsSync(SUITES_DIR)) return [];
  return readdirSync(SUITES_DIR)
    .filter((d) => statSync(join(SUITES_DIR, d)).isDirectory())
    .sort();
}

export function suiteFiles(area: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.test.ts')) out.push(relative(PROJECT_ROOT, full).split(sep).join('/'));
    }
  };
  walk(join(SUITES_DIR, area));
  return out;
}

export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) {
    throw new UsageError(`--shard ${text}: expected <i>/<n> with 1 <= i <= n, e.g. 2/3`);
  }
  return { index, total };
}

export function resolveAreas(requested: readonly string[] | undefined): string[] {
  const known = listAreas();
  if (!requested || requested.length === 0) return known;
  for (const a of requested) {
    if (!known.includes(a))
      throw new UsageError(`--suite ${a}: no such suite\n  fix: use one of ${known.join(', ')}`);
  }
  return known.filter((a) => requested.includes(a));
}

/** Round-robin over the sorted file list: stable, and balanced by count. */
export function shardFiles(files: readonly string[], shard: Shard | undefined): string[] {
  if (!shard) return [...files];
  return files.filter((_, i) => i % shard.total === shard.index - 1);
}
