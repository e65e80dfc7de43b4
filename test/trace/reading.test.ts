import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { splitLines, LineTooLongError } from '../../harness/trace/lines.ts';
import {
  LocalTraceSource,
  NamespaceTraceSource,
  LocalNamespace,
  TraceSourceError,
} from '../../harness/trace/source.ts';
import { checkTraceLine, checkTraceSource, checkValidatorRule } from '../../harness/trace/validate.ts';
import { judgeTracePath, findTraceArtifacts } from '../../harness/trace/paths.ts';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ev = (o: Record<string, unknown> = {}): string =>
  JSON.stringify({ ts: 1, agent: 'queen_primary', event: 'spawn', detail: 'x', ok: true, ...o });

describe('splitLines', () => {
  it('splits across chunk boundaries, numbers lines, drops CR and keeps a last line without newline', async () => {
    const chunks = [Buffer.from('ab'), Buffer.from('c\r\nde'), Buffer.from('f\n\ng'), Buffer.from('h')];
    const lines = await collect(splitLines(Readable.from(chunks), 'mem'));
    expect(lines).toEqual([
      { n: 1, text: 'abc' },
      { n: 2, text: 'def' },
      { n: 3, text: '' },
      { n: 4, text: 'gh' },
    ]);
  });

  it('decodes a UTF-8 character split between two chunks', async () => {
    const bytes = Buffer.from('é\n');
    const lines = await collect(splitLines(Readable.from([bytes.subarray(0, 1), bytes.subarray(1)]), 'mem'));
    expect(lines).toEqual([{ n: 1, text: 'é' }]);
  });

  it('refuses a line longer than the bound, naming the place', async () => {
    const big = Buffer.alloc(5000, 'x');
    await expect(collect(splitLines(Readable.from([big]), 'f.log', 1000))).rejects.toThrow(LineTooLongError);
    await expect(collect(splitLines(Readable.from([big]), 'f.log', 1000))).rejects.toThrow(/f\.log:1/);
  });
});

describe('trace event schema', () => {
  it('accepts a contract event', () => {
    expect(checkTraceLine(ev()).ok).toBe(true);
  });
  it.each([
    [
      'missing ok',
      JSON.stringify({ ts: 1, agent: 'a', event: 'spawn', detail: '' }),
      /ok: expected a value \(required\)/,
    ],
    ['negative ts', ev({ ts: -1 }), /ts/],
    ['fractional ts', ev({ ts: 1.5 }), /ts/],
    ['ok as string', ev({ ok: 'yes' }), /ok/],
    ['extra field', ev({ extra: 1 }), /extra: expected no such property/],
    ['not JSON', '{ts:1', /not JSON/],
  ])('rejects %s', (_name, line, re) => {
    const v = checkTraceLine(line);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problem).toMatch(re);
  });
});

describe('validator rule schema', () => {
  const rule = { version: '1.2', activation_window: { start: 10, end: 20 }, source: 'rules/secure9p.json' };
  it('accepts a complete rule', () => expect(checkValidatorRule(rule)).toEqual({ ok: true }));
  it('rejects a rule without source', () => {
    const { source: _s, ...r } = rule;
    expect(checkValidatorRule(r)).toMatchObject({ ok: false, problem: expect.stringMatching(/source/) });
  });
  it('rejects a window that ends before it starts', () => {
    expect(checkValidatorRule({ ...rule, activation_window: { start: 20, end: 10 } })).toMatchObject({
      ok: false,
    });
  });
  it('rejects a non-numeric version', () => {
    expect(checkValidatorRule({ ...rule, version: 'latest' })).toMatchObject({ ok: false });
  });
});

describe('trace sources', () => {
  it('lists a local folder recursively (trace files only, sorted) and validates every line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-src-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.log'), `${ev()}\n${ev({ ok: 1 })}\n`);
    writeFileSync(join(dir, 'sub', 'a.jsonl'), `${ev()}\n`);
    writeFileSync(join(dir, 'notes.txt'), 'not a trace');
    const src = new LocalTraceSource(dir);
    expect((await src.list()).map((f) => f.path)).toEqual(['b.log', 'sub/a.jsonl']);
    const check = await checkTraceSource(src);
    expect(check).toMatchObject({ files: 2, lines: 3 });
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatchObject({
      line: 2,
      problem: expect.stringMatching(/^ok: expected boolean/),
    });
  });

  it('reads a single file as a source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-src-'));
    writeFileSync(join(dir, 'live.log'), `${ev()}\n`);
    const src = new LocalTraceSource(join(dir, 'live.log'));
    const files = await src.list();
    expect(files.map((f) => f.path)).toEqual(['live.log']);
    expect((await collect(src.lines('live.log'))).flat()).toHaveLength(1);
  });

  it('names the missing location and the fix', async () => {
    await expect(new LocalTraceSource('/nonexistent/snap').list()).rejects.toThrow(TraceSourceError);
    await expect(new LocalTraceSource('/nonexistent/snap').list()).rejects.toThrow(/snapshot folder/);
  });

  it('reads through a namespace reader the same way', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trace-ns-'));
    mkdirSync(join(root, 'history', 'snapshots', '7'), { recursive: true });
    writeFileSync(join(root, 'history', 'snapshots', '7', 'live.log'), `${ev()}\n${ev()}\n`);
    const src = new NamespaceTraceSource(new LocalNamespace(root), '/history/snapshots/7');
    expect(src.label).toBe('9p:/history/snapshots/7');
    expect(await src.list()).toEqual([{ path: 'live.log', size: expect.any(Number) }]);
    expect((await collect(src.lines('live.log'))).flat()).toHaveLength(2);
  });
});

describe('path contract', () => {
  it.each([
    ['/log/trace/live.log', true, 'trace'],
    ['/log/trace/rotated/1.log', true, 'trace'],
    ['/srv/trace/consensus/1700.log', true, 'consensus'],
    ['/srv/trace/fault/1700.error', true, 'consensus'],
    ['/srv/trace/current.snapshot', true, 'consensus'],
    ['/srv/trace/live.log', false, 'srv-trace'],
    ['/srv/trace/consensus/../live.log', false, 'srv-trace'],
    ['/tmp/cohesix-trace.log', false, 'temp-fallback'],
    ['/log/other.log', false, 'elsewhere'],
  ])('%s -> ok=%s (%s)', (path, ok, kind) => {
    expect(judgeTracePath(path)).toMatchObject({ ok, kind });
  });

  it('honours TRACE_OUT as the trace directory', () => {
    expect(judgeTracePath('/data/trace/live.log', '/data/trace').ok).toBe(true);
    expect(judgeTracePath('/log/trace/live.log', '/data/trace').ok).toBe(false);
  });

  it('finds trace artifacts in /log/trace, /srv/trace and temp folders of a namespace', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trace-ns-'));
    for (const d of ['log/trace', 'srv/trace/consensus', 'tmp', 'log'])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'log/trace/live.log'), '');
    writeFileSync(join(root, 'srv/trace/live.log'), '');
    writeFileSync(join(root, 'srv/trace/consensus/1.log'), '');
    writeFileSync(join(root, 'tmp/trace-fallback.log'), '');
    writeFileSync(join(root, 'tmp/unrelated'), '');
    writeFileSync(join(root, 'log/queen.log'), '');
    const found = await findTraceArtifacts(new LocalNamespace(root));
    expect(found).toEqual([
      '/log/trace/live.log',
      '/srv/trace/consensus/1.log',
      '/srv/trace/live.log',
      '/tmp/trace-fallback.log',
    ]);
    expect(
      found
        .map((p) => judgeTracePath(p))
        .filter((v) => !v.ok)
        .map((v) => v.kind),
    ).toEqual(['srv-trace', 'temp-fallback']);
  });
});
