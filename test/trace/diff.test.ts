import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  diffTraces,
  deviationCount,
  TraceDiffError,
  type DiffRecord,
  type DiffOptions,
} from '../../harness/trace/diff.ts';
import { diffWriter, toAnnotation } from '../../harness/trace/diff-format.ts';
import { LocalTraceSource } from '../../harness/trace/source.ts';

interface Ev {
  ts: number;
  agent: string;
  event: string;
  detail: string;
  ok: boolean;
  nonce?: string;
}

function snapshot(files: Record<string, Array<Ev | string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'trace-diff-'));
  for (const [name, events] of Object.entries(files)) {
    writeFileSync(
      join(dir, name),
      events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n',
    );
  }
  return dir;
}

async function run(a: string, b: string, opts: Partial<DiffOptions> = {}) {
  const records: DiffRecord[] = [];
  const summary = await diffTraces(new LocalTraceSource(a), new LocalTraceSource(b), opts, (r) => {
    records.push(r);
  });
  return { records, summary };
}

const e = (n: number, o: Partial<Ev> = {}): Ev => ({
  ts: 1000 + n,
  agent: `agent_${n % 3}`,
  event: 'write',
  detail: `/srv/x/${n}`,
  ok: true,
  ...o,
});

describe('trace diff', () => {
  it('reports nothing for snapshots that differ only in volatile fields and key order', async () => {
    const a = snapshot({ 'live.log': [e(1), e(2)] });
    const b = snapshot({
      'live.log': [
        { ...e(1), ts: 99, nonce: 'n1' },
        `{"ok":true,"detail":"/srv/x/2","event":"write","agent":"agent_2","ts":5}`,
      ],
    });
    const { records, summary } = await run(a, b);
    expect(records).toEqual([]);
    expect(summary).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 2, eventsA: 2, eventsB: 2 });
  });

  it('finds exactly one added, one removed and one changed event, with positions and field changes', async () => {
    const a = snapshot({ 'live.log': [e(1), e(2), e(3), e(4)] });
    const b = snapshot({ 'live.log': [e(1), e(3), { ...e(4), ok: false }, e(5)] });
    const { records, summary } = await run(a, b);
    expect(summary).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 2 });
    expect(records).toEqual([
      {
        kind: 'removed',
        key: ['live.log', 'agent_2', 'write', '/srv/x/2'],
        occurrence: 1,
        a: { file: 'live.log', line: 2 },
        event: expect.objectContaining({ detail: '/srv/x/2' }),
      },
      {
        kind: 'changed',
        key: ['live.log', 'agent_1', 'write', '/srv/x/4'],
        occurrence: 1,
        a: { file: 'live.log', line: 4 },
        b: { file: 'live.log', line: 3 },
        changes: [{ field: 'ok', a: true, b: false }],
      },
      {
        kind: 'added',
        key: ['live.log', 'agent_2', 'write', '/srv/x/5'],
        occurrence: 1,
        b: { file: 'live.log', line: 4 },
        event: expect.objectContaining({ detail: '/srv/x/5' }),
      },
    ]);
  });

  it('matches repeated identical events by occurrence', async () => {
    const a = snapshot({ 'live.log': [e(1), e(1), e(1)] });
    const b = snapshot({ 'live.log': [e(1), e(1)] });
    const { records } = await run(a, b);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'removed', occurrence: 3, a: { line: 3 } });
  });

  it('uses the configured key and ignore list', async () => {
    const a = snapshot({ 'live.log': [{ ...e(1), nonce: 'x' }] });
    const b = snapshot({ 'live.log': [{ ...e(1), detail: 'other', nonce: 'y' }] });
    // default key includes detail: a different detail is a different event
    expect((await run(a, b)).summary).toMatchObject({ added: 1, removed: 1, changed: 0 });
    // keyed by agent+event, detail becomes a changed field; nonce is still ignored
    const byAgent = await run(a, b, { key: ['agent', 'event'] });
    expect(byAgent.records).toEqual([
      expect.objectContaining({ kind: 'changed', changes: [{ field: 'detail', a: '/srv/x/1', b: 'other' }] }),
    ]);
    // not ignoring nonce makes it a change too
    const strict = await run(a, b, { key: ['agent', 'event'], ignore: ['ts'] });
    expect((strict.records[0] as { changes: unknown[] }).changes).toHaveLength(2);
  });

  it('reports lines that are not JSON instead of crashing, and matches them by text', async () => {
    const a = snapshot({ 'live.log': [e(1), 'garbage'] });
    const b = snapshot({ 'live.log': [e(1), 'garbage', 'more garbage'] });
    const { records, summary } = await run(a, b);
    expect(summary).toMatchObject({ invalidA: 1, invalidB: 2, added: 1 });
    expect(records[0]).toMatchObject({ kind: 'added', event: { $invalid: 'more garbage' } });
  });

  it('refuses an empty snapshot and a key that is also ignored, saying what to do', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'trace-diff-'));
    const a = snapshot({ 'live.log': [e(1)] });
    await expect(run(empty, a)).rejects.toThrow(/no trace files/);
    await expect(run(a, a, { key: ['ts'] })).rejects.toThrow(TraceDiffError);
  });

  it('gives the same answer with many small partitions as with one, in trace order, and cleans its spool', async () => {
    const evs = Array.from({ length: 400 }, (_, i) => e(i));
    const changedEvs = evs
      .map((x, i) => (i % 37 === 0 ? { ...x, ok: false } : x))
      .filter((_, i) => i % 53 !== 5);
    changedEvs.push(e(1000), e(1001));
    const a = snapshot({ 'a.log': evs.slice(0, 200), 'b.log': evs.slice(200) });
    const b = snapshot({ 'a.log': changedEvs.slice(0, 195), 'b.log': changedEvs.slice(195) });
    const spool = mkdtempSync(join(tmpdir(), 'trace-spool-'));
    const one = await run(a, b, { key: ['agent', 'event', 'detail'] });
    const many = await run(a, b, { key: ['agent', 'event', 'detail'], partitionBytes: 512, tmpDir: spool });
    expect(many.summary.partitions).toBeGreaterThan(50);
    expect(one.summary.partitions).toBe(1);
    expect(many.records).toEqual(one.records);
    // 11 multiples of 37 flip ok, but 111 is also removed (111 % 53 === 5): 10 changed, 8 removed, 2 added
    expect(one.summary).toMatchObject({ changed: 10, removed: 8, added: 2 });
    expect(deviationCount(one.summary)).toBe(20);
    expect(readdirSync(spool)).toEqual([]);
    const order = one.records.map(
      (r) => (r.kind !== 'removed' ? [r.b.file, r.b.line] : [r.a.file, r.a.line]) as [string, number],
    );
    const sorted = [...order].sort((x, y) => (x[0] === y[0] ? x[1] - y[1] : x[0] < y[0] ? -1 : 1));
    expect(order).toEqual(sorted);
  });

  it('splits a bucket that a hot key overfilled and still matches by occurrence exactly', async () => {
    const evs = Array.from({ length: 300 }, (_, i) => e(i));
    const edited = evs.map((x, i) => (i % 29 === 0 ? { ...x, ok: false } : x)).filter((_, i) => i % 41 !== 3);
    const a = snapshot({ 't.log': evs });
    const b = snapshot({ 't.log': edited });
    // keyed by agent only: 3 distinct keys, so 3 hot buckets whatever the partition count
    const one = await run(a, b, { key: ['agent'], partitionBytes: 1 << 30 });
    const split = await run(a, b, { key: ['agent'], partitionBytes: 300 });
    expect(one.summary.partitions).toBe(1);
    expect(split.summary.partitions).toBeGreaterThan(50);
    expect(split.records).toEqual(one.records);
    expect(split.summary).toMatchObject({
      ...one.summary,
      partitions: split.summary.partitions,
      elapsedMs: split.summary.elapsedMs,
    });
  });

  it('property: diffing a trace against itself with any edits finds exactly those edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            agent: fc.constantFrom('q', 'w'),
            event: fc.constantFrom('read', 'write'),
            detail: fc.string({ maxLength: 4 }),
            ok: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 5 }),
        async (events, extra) => {
          const a = snapshot({ 't.log': events.map((x, i) => ({ ts: i, ...x })) });
          const added = Array.from({ length: extra }, (_, i) => ({
            ts: 0,
            agent: 'new',
            event: 'spawn',
            detail: `${i}`,
            ok: true,
          }));
          const b = snapshot({ 't.log': [...events.map((x, i) => ({ ts: i + 7, ...x })), ...added] });
          const { summary } = await run(a, b, { partitionBytes: 64 });
          expect(summary).toMatchObject({ added: extra, removed: 0, changed: 0, unchanged: events.length });
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('trace diff output', () => {
  it('writes valid JSON with records and summary, text lines and annotations', async () => {
    const a = snapshot({ 'live.log': [e(1), e(2)] });
    const b = snapshot({ 'live.log': [{ ...e(1), ok: false }] });
    for (const format of ['json', 'text', 'annotations'] as const) {
      let out = '';
      const w = diffWriter(format, (s) => (out += s), 'A', 'B');
      const summary = await diffTraces(new LocalTraceSource(a), new LocalTraceSource(b), {}, (r) =>
        w.record(r),
      );
      w.end(summary);
      if (format === 'json') {
        const doc = JSON.parse(out) as {
          records: DiffRecord[];
          summary: { changed: number; removed: number };
        };
        expect(doc.records.map((r) => r.kind)).toEqual(['changed', 'removed']);
        expect(doc.summary).toMatchObject({ changed: 1, removed: 1 });
      } else if (format === 'text') {
        expect(out).toMatch(/~ changed {2}live\.log:1 -> live\.log:1 .*ok: true -> false/);
        expect(out).toMatch(/- removed {2}live\.log:2/);
        expect(out).toMatch(/1 removed, 1 changed/);
      } else {
        const anns = out
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as ReturnType<typeof toAnnotation>);
        expect(anns).toEqual([
          expect.objectContaining({
            file: 'B/live.log',
            line: 1,
            severity: 'error',
            title: 'trace diff: event changed',
          }),
          expect.objectContaining({ file: 'A/live.log', line: 2, title: 'trace diff: event removed' }),
        ]);
      }
    }
  });

  it('writes an empty records array when nothing differs', () => {
    let out = '';
    const w = diffWriter('json', (s) => (out += s), 'A', 'B');
    w.end({
      added: 0,
      removed: 0,
      changed: 0,
      unchanged: 3,
      eventsA: 3,
      eventsB: 3,
      invalidA: 0,
      invalidB: 0,
      partitions: 1,
      elapsedMs: 1,
    });
    expect(JSON.parse(out)).toMatchObject({ records: [], summary: { unchanged: 3 } });
  });
});
