// Three shards merged equal one unsharded run, case by case.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../helpers/cli.ts';
import { junitErrors } from '../helpers/reports.ts';
import type { RunResults } from '../../harness/results/model.ts';

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
const shape = (r: RunResults) => r.cases.map((c) => [c.id, c.status]);

describe('sharding', () => {
  it('3 shards merged equal one unsharded run in cases and statuses', async () => {
    const base = tempDir();
    const args = ['run', '--suite', 'governance', '--defect', 'governance-sla-breach', '--reporter', 'junit'];
    const whole = join(base, 'whole');
    const shards = [1, 2, 3].map((i) => join(base, `shard-${i}`));
    const runs = await Promise.all([
      cli([...args, '--out', whole]),
      ...shards.map((d, i) => cli([...args, '--out', d, '--shard', `${i + 1}/3`])),
    ]);
    expect(runs.map((r) => r.exitCode)).toEqual([1, ...shards.map((d) => (read(d).summary.failed ? 1 : 0))]);
    const sizes = shards.map((d) => read(d).cases.length);
    expect(sizes.every((n) => n > 0)).toBe(true);
    const merged = join(base, 'merged');
    const m = await cli(['merge-reports', ...shards, '--out', merged, '--reporter', 'junit,tap,html']);
    expect(m.exitCode).toBe(1); // worst status wins
    expect(shape(read(merged))).toEqual(shape(read(whole)));
    expect(read(merged).summary).toEqual(read(whole).summary);
    expect(await junitErrors(readFileSync(join(merged, 'junit.xml'), 'utf8'))).toEqual([]);
  });
});
