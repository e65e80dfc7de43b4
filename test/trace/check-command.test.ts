import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceCommand } from '../../harness/cli/commands/trace.ts';

const good = JSON.stringify({ ts: 1, agent: 'queen_primary', event: 'spawn', detail: 'w1', ok: true });

function ns(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'trace-check-'));
  for (const [p, body] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), body);
  }
  return root;
}

async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = -1;
  const cmd = traceCommand({ stdout: (s) => (out += s), stderr: (s) => (err += s) }, (c) => (code = c));
  await cmd.parseAsync(['check', ...args], { from: 'user' });
  return { code, out, err };
}

describe('cohesix-qa trace check', () => {
  it('passes a namespace whose recorder writes valid events under /log/trace/ (consensus files allowed)', async () => {
    const root = ns({
      'log/trace/live.log': `${good}\n`,
      'srv/trace/consensus/1.log': '{"not":"an event"}\n',
    });
    const r = await check([root]);
    expect(r.out).toMatch(/2 artifacts, 1 lines, 0 violation/);
    expect(r.code).toBe(0);
  });

  it('flags /srv/trace and a bad line, exit 1', async () => {
    const root = ns({ 'log/trace/live.log': `${good}\n{"ts":1}\n`, 'srv/trace/live.log': `${good}\n` });
    const r = await check([root]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^path {3}\/srv\/trace\/live\.log: trace written under \/srv\/trace/m);
    expect(r.out).toMatch(/^schema \/log\/trace\/live\.log:2: agent: expected a value/m);
  });

  it('flags a namespace with no trace at all, and honours --trace-dir', async () => {
    expect((await check([ns({ 'log/other.log': '' })])).out).toMatch(/no trace file under \/log\/trace/);
    const custom = ns({ 'data/trace/live.log': `${good}\n` });
    expect((await check([custom, '--trace-dir', '/data/trace'])).code).toBe(0);
    expect((await check([custom])).code).toBe(1);
  });

  it('exits 2 when the folder does not exist', async () => {
    const r = await check(['/nonexistent/ns']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a folder; give the folder that is the namespace root/);
  });
});
