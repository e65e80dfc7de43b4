import { describe, expect, it } from 'vitest';
import { foldEvents, worstStatus, exitCodeFor } from '../../harness/results/model.ts';
import type { ResultEvent, CaseRef } from '../../harness/results/events.ts';
import { redactText, redactValue } from '../../harness/results/redact.ts';
import { percentile, median } from '../../harness/results/stats.ts';
import { shardFiles, parseShard } from '../../harness/run/plan.ts';
import { validate } from '../../harness/schemas/registry.ts';

const ref = (n: number): CaseRef => ({
  id: `s::f.ts::c${n}`,
  suite: 's',
  file: 'f.ts',
  title: `c${n}`,
  fullTitle: `c${n}`,
});
let seq = 0;
const stamp = <T extends object>(e: T) => ({ v: 1 as const, seq: ++seq, at: new Date().toISOString(), ...e });
const start = () =>
  stamp({
    type: 'run-start' as const,
    runId: 'r',
    provenance: {
      harnessVersion: '0',
      targetKind: 'reference',
      targetName: 'reference',
      node: 'v20',
      host: 'h',
    },
    plan: { suites: ['s'], files: [] },
  });
const end = (id: number, status: 'passed' | 'failed' | 'infra-error') =>
  stamp({ type: 'case-end' as const, case: ref(id), status, durationMs: 1, evidence: [] });
const runEnd = () =>
  stamp({
    type: 'run-end' as const,
    status: 'passed' as const,
    durationMs: 5,
    reason: 'completed' as const,
    unhandledErrors: [],
  });

describe('result model', () => {
  it('folds cases and derives the status: product failure beats infrastructure error', () => {
    const r = foldEvents([
      [start(), end(1, 'passed'), end(2, 'infra-error'), end(3, 'failed'), runEnd()] as ResultEvent[],
    ]);
    expect(r.summary).toEqual({
      total: 3,
      passed: 1,
      failed: 1,
      skipped: 0,
      infraErrors: 1,
      flaky: 0,
      quarantined: 0,
      status: 'failed',
    });
    expect(exitCodeFor(r.summary.status)).toBe(1);
    expect(validate('results', JSON.parse(JSON.stringify(r)))).toEqual([]);
  });

  it('only infrastructure errors give exit 3', () => {
    const r = foldEvents([[start(), end(1, 'passed'), end(2, 'infra-error'), runEnd()] as ResultEvent[]]);
    expect(r.summary.status).toBe('infra-error');
    expect(exitCodeFor(r.summary.status)).toBe(3);
  });

  it('a stream without run-end is an interrupted run, and its started cases are not lost', () => {
    const r = foldEvents([
      [start(), end(1, 'passed'), stamp({ type: 'case-start' as const, case: ref(2) })] as ResultEvent[],
    ]);
    expect(r.summary.status).toBe('interrupted');
    expect(r.cases.find((c) => c.title === 'c2')?.status).toBe('infra-error');
  });

  it('worst status wins', () => {
    expect(worstStatus('passed', 'failed')).toBe('failed');
    expect(worstStatus('infra-error', 'failed')).toBe('failed');
    expect(worstStatus('failed', 'interrupted')).toBe('interrupted');
  });
});

describe('redaction', () => {
  it('masks secrets and their base64 form everywhere in a value', () => {
    const basic = Buffer.from('hunter22').toString('base64');
    expect(redactText(`pass=hunter22 auth=Basic ${basic}`, ['hunter22'])).toBe('pass=*** auth=Basic ***');
    expect(redactValue({ a: ['x hunter22 y'], b: { c: 'hunter22' } }, ['hunter22'])).toEqual({
      a: ['x *** y'],
      b: { c: '***' },
    });
  });
});

describe('statistics', () => {
  it('nearest-rank percentiles are real samples', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 50)).toBe(5);
    expect(median(xs)).toBe(5.5);
  });
});

describe('sharding', () => {
  it('is deterministic, disjoint and complete', () => {
    const files = Array.from({ length: 10 }, (_, i) => `f${i}.test.ts`);
    const shards = [1, 2, 3].map((i) => shardFiles(files, { index: i, total: 3 }));
    expect(shards.flat().sort()).toEqual([...files].sort());
    expect(new Set(shards.flat()).size).toBe(files.length);
    expect(shardFiles(files, { index: 2, total: 3 })).toEqual(shards[1]);
  });

  it('rejects malformed shard specs with a usage error', () => {
    expect(() => parseShard('4/3')).toThrow(/expected <i>\/<n>/);
    expect(() => parseShard('a/b')).toThrow(/expected <i>\/<n>/);
    expect(parseShard('1/1')).toEqual({ index: 1, total: 1 });
  });
});
