// A one-sided permutation test on the difference of means, with a seeded generator
// so the same history always gives the same verdict (and both back ends agree).
import { seededRandom } from '../seeded-random.ts';

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * p-value for "candidate is larger than baseline": the share of relabellings whose
 * mean difference is at least the observed one (with the +1 correction, so p > 0).
 */
export function permutationPValue(
  baseline: readonly number[],
  candidate: readonly number[],
  opts: { permutations?: number; seed?: number } = {},
): number {
  const permutations = opts.permutations ?? 4000;
  const rand = seededRandom(opts.seed ?? 20261129);
  const observed = mean(candidate) - mean(baseline);
  const pool = [...baseline, ...candidate];
  const n = candidate.length;
  const total = pool.reduce((s, x) => s + x, 0);
  let atLeast = 0;
  for (let i = 0; i < permutations; i++) {
    // partial Fisher-Yates: the first n slots become the relabelled candidate
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const k = j + Math.floor(rand() * (pool.length - j));
      const t = pool[j]!;
      pool[j] = pool[k]!;
      pool[k] = t;
      sum += pool[j]!;
    }
    const diff = sum / n - (total - sum) / (pool.length - n);
    if (diff >= observed - 1e-12) atLeast++;
  }
  return (atLeast + 1) / (permutations + 1);
}
