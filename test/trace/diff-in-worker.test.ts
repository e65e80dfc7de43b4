// The CLI's diff engine in its worker: records arrive in trace order, and a sink
// that fails stops the worker cleanly: its error is reported and the spooled
// buckets are removed.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffTracesInWorker } from '../../harness/trace/diff-in-worker.ts';
import type { DiffRecord } from '../../harness/trace/diff.ts';
import { tempDir } from '../helpers/cli.ts';

function snapshots(events: number, changedEvery: number): { a: string; b: string } {
  const root = tempDir('diff-worker-');
  for (const side of ['a', 'b'] as const) {
    mkdirSync(join(root, side));
    const lines = Array.from({ length: events }, (_, i) =>
      JSON.stringify({
        ts: i,
        agent: 'drone',
        event: 'read',
        detail: `/srv/${i}`,
        ok: side === 'a' || i % changedEvery !== 0,
      }),
    );
    writeFileSync(join(root, side, 'live.log'), `${lines.join('\n')}\n`);
  }
  return { a: join(root, 'a'), b: join(root, 'b') };
}

describe('trace diff in a worker', () => {
  it('streams every deviation to the sink, in batches, in trace order', async () => {
    const where = snapshots(3000, 2); // 1500 changed: three batches of up to 512
    const seen: DiffRecord[] = [];
    const summary = await diffTracesInWorker(where, {}, (r) => {
      seen.push(r);
    });
    expect(summary.changed).toBe(1500);
    expect(seen.length).toBe(1500);
    const lines = seen.map((r) => (r.kind === 'changed' ? r.b.line : -1));
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
  });

  it('a failing sink rejects with its own error and leaves no spooled buckets', async () => {
    const where = snapshots(3000, 2);
    const spool = tempDir('diff-spool-');
    let taken = 0;
    const failure = new Error('disk full while writing the report');
    await expect(
      diffTracesInWorker(where, { tmpDir: spool }, () => {
        if (++taken === 600) throw failure;
      }),
    ).rejects.toBe(failure);
    expect(readdirSync(spool)).toEqual([]);
  });
});
