import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceRecorder } from '../../reference/trace/recorder.ts';
import { sessionEvents, withSeededDeviation, SEEDED_DEVIATION } from '../../reference/trace/session.ts';
import { checkTraceLine } from '../../harness/trace/validate.ts';
import { judgeTracePath } from '../../harness/trace/paths.ts';

function record(opts: { traceOut?: string; defect?: string }): { ns: string; rec: TraceRecorder } {
  const ns = mkdtempSync(join(tmpdir(), 'trace-rec-'));
  const rec = new TraceRecorder({ nsRoot: ns, ...opts });
  for (const e of sessionEvents(1)) rec.record(e);
  return { ns, rec };
}

const linesOf = (ns: string, nsPath: string): string[] =>
  readFileSync(join(ns, nsPath), 'utf8').trim().split('\n');

describe('reference trace recorder', () => {
  it('writes schema-valid contract events to /log/trace/live.log', () => {
    const { ns, rec } = record({});
    expect(rec.livePath).toBe('/log/trace/live.log');
    const lines = linesOf(ns, rec.livePath);
    expect(lines).toHaveLength(sessionEvents(1).length);
    expect(lines.every((l) => checkTraceLine(l).ok)).toBe(true);
  });

  it('honours TRACE_OUT', () => {
    const { ns, rec } = record({ traceOut: '/data/trace' });
    expect(rec.livePath).toBe('/data/trace/live.log');
    expect(existsSync(join(ns, 'data/trace/live.log'))).toBe(true);
  });

  it('trace-srv-path writes to /srv/trace, which the path contract flags', () => {
    const { rec } = record({ defect: 'trace-srv-path' });
    expect(rec.livePath).toBe('/srv/trace/live.log');
    expect(judgeTracePath(rec.livePath)).toMatchObject({ ok: false, kind: 'srv-trace' });
  });

  it('trace-bad-line drops the ok field of exactly one event', () => {
    const { ns, rec } = record({ defect: 'trace-bad-line' });
    const bad = linesOf(ns, rec.livePath)
      .map(checkTraceLine)
      .filter((v) => !v.ok);
    expect(bad).toEqual([{ ok: false, problem: 'ok: expected a value (required), found nothing' }]);
  });

  it('seeds exactly one deviation into the current snapshot', () => {
    const base = sessionEvents(5);
    const cur = withSeededDeviation(base);
    const differing = base.filter((e, i) => JSON.stringify(e) !== JSON.stringify(cur[i]));
    expect(differing).toHaveLength(1);
    expect(cur[SEEDED_DEVIATION.index]!.ok).toBe(SEEDED_DEVIATION.to);
  });
});
