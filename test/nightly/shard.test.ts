// Duration-weighted sharding against count-based sharding on a skewed suite, with
// durations read from a real history store.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { balanceByDuration, countBased, longestShard } from '../../harness/nightly/shard-by-duration.ts';
import { fileDurations, planShard } from '../../harness/nightly/integration.ts';
import { openHistory } from '../../harness/history/store.ts';
import { tempDir } from '../helpers/cli.ts';
import { synthRun } from './helpers/synth.ts';

// a skewed suite: two slow boot files and many quick ones, in an order where
// round-robin puts both slow files on the same shard
const FILES = Array.from({ length: 12 }, (_, i) => `suites/boot/f${String(i).padStart(2, '0')}.test.ts`);
const DURATION = (f: string) => (f.endsWith('f00.test.ts') || f.endsWith('f03.test.ts') ? 30_000 : 1_000);

async function skewedHistory(): Promise<string> {
  const spec = join(tempDir(), 'history.db');
  const store = await openHistory(spec, process.cwd());
  for (let run = 0; run < 3; run++) {
    await store.record(
      synthRun({
        index: run,
        // two cases a file, repeated in the last run: a file's duration is per attempt
        cases: FILES.flatMap((file) =>
          ['a', 'b'].map((t) => ({
            title: `${file} ${t}`,
            file,
            attempts: run === 2 ? (['passed', 'passed'] as const).slice() : ['passed' as const],
            durationMs: DURATION(file) / 2,
          })),
        ),
      }),
    );
  }
  await store.close();
  return spec;
}

describe('--shard-by duration', () => {
  it('reads per-attempt file durations from the history', async () => {
    const store = await openHistory(await skewedHistory(), process.cwd());
    const d = await fileDurations(store);
    await store.close();
    expect(d.get(FILES[0]!)).toBe(30_000);
    expect(d.get(FILES[1]!)).toBe(1_000);
  });

  it('the longest shard shrinks against count-based sharding on a skewed suite', async () => {
    const spec = await skewedHistory();
    const durations = new Map(FILES.map((f) => [f, DURATION(f)]));
    const byCount = countBased(FILES, 3);
    const shards = await Promise.all(
      [1, 2, 3].map((i) => planShard(FILES, { index: i, total: 3 }, 'duration', spec, '/')),
    );
    // every file exactly once
    expect(shards.flat().sort()).toEqual([...FILES].sort());
    const before = longestShard(byCount, durations);
    const after = longestShard(shards, durations);
    expect(before).toBe(62_000); // f00, f03 (slow) and f06, f09 together
    expect(after).toBe(30_000); // each slow file alone on a shard
    expect(after).toBeLessThan(before);
  });

  it('without history it is count-based; unknown files count as typical ones', () => {
    expect(balanceByDuration(FILES, 3, new Map())).toEqual(countBased(FILES, 3));
    const partial = balanceByDuration(
      ['a', 'b', 'c', 'new'],
      2,
      new Map([
        ['a', 10],
        ['b', 1],
        ['c', 1],
      ]),
    );
    expect(partial.flat().sort()).toEqual(['a', 'b', 'c', 'new']);
    expect(partial[0]).toEqual(['a']);
  });

  it('an unknown --shard-by is a usage error', async () => {
    await expect(planShard(FILES, { index: 1, total: 2 }, 'random', undefined, '/')).rejects.toThrow(
      /--shard-by random: expected count or duration/,
    );
  });
});
