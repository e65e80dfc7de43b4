// `cohesix-qa trace diff` through the real CLI binary, as a user or CI runs it.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../helpers/cli.ts';

const ev = (o: Record<string, unknown>): string =>
  JSON.stringify({
    ts: 1,
    agent: 'drone_worker',
    event: 'write',
    detail: '/srv/telemetry/w1',
    ok: true,
    ...o,
  });

describe('cohesix-qa trace diff (binary)', () => {
  it('exits 1 on a deviation with --fail-on-diff, 0 on equal snapshots, 2 on a missing one', async () => {
    const root = tempDir('trace-cli-');
    for (const [name, lines] of [
      ['base', [ev({}), ev({ event: 'read', detail: '/sim/data' })]],
      ['cur', [ev({ ts: 7 }), ev({ event: 'read', detail: '/sim/data', ok: false })]],
    ] as const) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'live.log'), `${lines.join('\n')}\n`);
    }
    const diff = await cli(['trace', 'diff', join(root, 'base'), join(root, 'cur'), '--fail-on-diff']);
    expect(diff.stdout).toMatch(/~ changed .*ok: true -> false/);
    expect(diff.exitCode).toBe(1);
    const same = await cli(['trace', 'diff', join(root, 'base'), join(root, 'base'), '--fail-on-diff']);
    expect(same.exitCode).toBe(0);
    const missing = await cli(['trace', 'diff', join(root, 'base'), join(root, 'gone')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/gone: cannot read trace location/);
    const tiny = await cli(['trace', 'diff', join(root, 'base'), join(root, 'cur'), '--heap-mb', '8']);
    expect(tiny.exitCode).toBe(2);
    expect(tiny.stderr).toMatch(/--heap-mb.*at least 32; found "8"/);
  });

  it('runs the engine in a worker whose heap limit is a clear error when too small, not a crash', async () => {
    // one key shared by every event (--key agent) and long details: the hot bucket
    // outgrows a 32 MB heap
    const root = tempDir('trace-heap-');
    for (const side of ['a', 'b']) {
      mkdirSync(join(root, side));
      const lines = Array.from({ length: 60_000 }, (_, i) =>
        ev({ detail: `/srv/${side}/${i}/${'x'.repeat(400)}` }),
      );
      writeFileSync(join(root, side, 'live.log'), `${lines.join('\n')}\n`);
    }
    const r = await cli([
      'trace',
      'diff',
      join(root, 'a'),
      join(root, 'b'),
      '--key',
      'agent',
      '--heap-mb',
      '32',
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/more than its 32 MB heap[\s\S]*fix: /);
  });
});
