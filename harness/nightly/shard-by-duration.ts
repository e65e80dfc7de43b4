// Duration-weighted sharding: files go to shards by their past durations (longest
// first, each to the shard with the least work so far), so the slowest shard, which
// sets the wall-clock time of a sharded run, is as short as it can be made greedily.
// Deterministic: the same durations always give the same shards, in every runner.
import { median } from '../results/stats.ts';
import { shardFiles, type Shard } from '../run/plan.ts';

/** Every shard's files (index 0 = shard 1), each in plan order. */
export function balanceByDuration(
  files: readonly string[],
  total: number,
  durations: ReadonlyMap<string, number>,
): string[][] {
  const known = files.filter((f) => durations.has(f)).map((f) => durations.get(f)!);
  if (known.length === 0) return countBased(files, total);
  // a file with no history yet counts as a typical one
  const typical = median(known);
  const weight = (f: string) => durations.get(f) ?? typical;
  const order = [...files].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  const loads = Array.from({ length: total }, () => 0);
  const assigned = Array.from({ length: total }, () => new Set<string>());
  for (const f of order) {
    let best = 0;
    for (let i = 1; i < total; i++) if (loads[i]! < loads[best]!) best = i;
    loads[best]! += weight(f);
    assigned[best]!.add(f);
  }
  return assigned.map((set) => files.filter((f) => set.has(f)));
}

export function countBased(files: readonly string[], total: number): string[][] {
  return Array.from({ length: total }, (_, i) => shardFiles(files, { index: i + 1, total } as Shard));
}

/** The longest shard's summed duration: what a sharded run waits for. */
export function longestShard(shards: readonly string[][], durations: ReadonlyMap<string, number>): number {
  return Math.max(...shards.map((s) => s.reduce((t, f) => t + (durations.get(f) ?? 0), 0)));
}
