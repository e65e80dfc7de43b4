import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTraceDiff } from '../../harness/trace/diff-command.ts';
import { DEFAULT_DIFF_OPTIONS } from '../../harness/trace/diff.ts';
import { traceCommand } from '../../harness/cli/commands/trace.ts';

const line = (o: Record<string, unknown>): string =>
  JSON.stringify({ ts: 1, agent: 'queen_primary', event: 'write', detail: '/srv/a', ok: true, ...o });

function folders(): { a: string; b: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'trace-cmd-'));
  const a = join(root, 'history', 'snapshots', 'base');
  const b = join(root, 'history', 'snapshots', 'cur');
  mkdirSync(a, { recursive: true });
  mkdirSync(b, { recursive: true });
  writeFileSync(join(a, 'live.log'), `${line({})}\n${line({ detail: '/srv/b' })}\n`);
  writeFileSync(join(b, 'live.log'), `${line({ ts: 9 })}\n${line({ detail: '/srv/b', ok: false })}\n`);
  return { a, b, root };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = -1;
  const cmd = traceCommand({ stdout: (s) => (out += s), stderr: (s) => (err += s) }, (c) => (code = c));
  cmd.exitOverride();
  await cmd.parseAsync(['diff', ...args], { from: 'user' });
  return { code, out, err };
}

describe('cohesix-qa trace diff', () => {
  it('offers the diff engine defaults as the option defaults', () => {
    const diff = traceCommand({ stdout: () => undefined, stderr: () => undefined }, () => undefined)
      .commands[0]!;
    const def = (flag: string) => diff.options.find((o) => o.long === flag)?.defaultValue as string;
    expect(def('--key')).toBe(DEFAULT_DIFF_OPTIONS.key.join(','));
    expect(def('--ignore')).toBe(DEFAULT_DIFF_OPTIONS.ignore.join(','));
  });

  it('prints the deviation as text and exits 0 without --fail-on-diff', async () => {
    const { a, b } = folders();
    const r = await cli([a, b]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/~ changed {2}live\.log:2 -> live\.log:2 .*ok: true -> false/);
    expect(r.out).toMatch(/0 added, 0 removed, 1 changed, 1 unchanged/);
  });

  it('exits 1 with --fail-on-diff when snapshots differ, 0 when they do not', async () => {
    const { a, b } = folders();
    expect((await cli([a, b, '--fail-on-diff'])).code).toBe(1);
    expect((await cli([a, a, '--fail-on-diff'])).code).toBe(0);
  });

  it('ignores what --ignore names and matches by --key', async () => {
    const { a, b } = folders();
    expect((await cli([a, b, '--fail-on-diff', '--ignore', 'ts,ok'])).code).toBe(0);
    const byAgent = await cli([a, b, '--key', 'agent,event', '--ignore', 'ts']);
    expect(byAgent.out).toMatch(/1 changed/);
  });

  it('reads namespace paths with --ns-root, writes JSON to a file and the summary to stderr', async () => {
    const { root } = folders();
    const out = join(root, 'diff.json');
    const r = await cli([
      '/history/snapshots/base',
      '/history/snapshots/cur',
      '--ns-root',
      root,
      '--format',
      'json',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      a: string;
      records: unknown[];
      summary: { changed: number };
    };
    expect(doc).toMatchObject({ a: '9p:/history/snapshots/base', summary: { changed: 1 } });
    expect(r.err).toMatch(/1 changed/);
  });

  it('emits GitHub annotations pointing at the current snapshot', async () => {
    const { a, b } = folders();
    const r = await cli([a, b, '--format', 'github']);
    expect(r.out).toMatch(
      /^::error file=dir%3A.*cur\/live\.log,line=2,title=trace diff%3A event changed::~ changed/m,
    );
  });

  it('exits 2 on a file that is not line-oriented, naming the file and line', async () => {
    const { a, root } = folders();
    const blob = join(root, 'blob');
    mkdirSync(blob);
    writeFileSync(join(blob, 'live.log'), `${line({})}\n${'x'.repeat(2 * 1024 * 1024)}`);
    const r = await cli([a, blob]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/live\.log:2: line longer than/);
  });

  it('exits 2 and says what to give when a folder is missing or empty', async () => {
    const { a, root } = folders();
    const r = await cli([a, join(root, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope: cannot read trace location .*give an existing snapshot folder/);
    const empty = mkdtempSync(join(tmpdir(), 'trace-empty-'));
    let err = '';
    expect(await runTraceDiff(a, empty, {}, { stdout: () => undefined, stderr: (s) => (err += s) })).toBe(2);
    expect(err).toMatch(/no trace files/);
  });
});
