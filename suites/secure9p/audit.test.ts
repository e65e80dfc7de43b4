// Auditability: capability errors reach the client with a trace ID, every
// denial is in /log/net_trace_secure9p.log with the actor's identity, and
// Secure9P activity is replayable from /log/trace/live.log. (Epic 1 stories.)
import { describe, expect, test } from '../../harness/fixtures.ts';

const tag = () => Math.random().toString(16).slice(2, 8);
const TRACE_ID = /trace_id=([0-9a-f]{8})\b/;

interface Files {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: string): Promise<void>;
}

/** Two denials that do not depend on write rules: a read without a grant, a write into a read-only namespace. */
async function provokeDenials(attach: (agent: string) => Promise<Files>) {
  const out: Array<{ agent: string; op: string[]; path: string; message: string }> = [];
  const glasses = await attach('glasses_agent');
  const readPath = '/sim/data/frame-0001.json';
  const e1 = await glasses.readFile(readPath).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(e1, `glasses_agent read ${readPath} without a read rule`).toBeInstanceOf(Error);
  out.push({ agent: 'glasses_agent', op: ['read'], path: readPath, message: e1!.message });
  const sim = await attach('simulator_test');
  const writePath = `/tmp/qa-audit-${tag()}`;
  const e2 = await sim.writeFile(writePath, 'x').then(
    () => undefined,
    (e: Error) => e,
  );
  expect(e2, `simulator_test wrote ${writePath} in its read-only namespace`).toBeInstanceOf(Error);
  out.push({ agent: 'simulator_test', op: ['write', 'create'], path: writePath, message: e2!.message });
  return out;
}

describe('audit', () => {
  test('every denial carries a trace ID', async ({ secure9p }) => {
    for (const d of await provokeDenials((a) => secure9p.attach(a))) {
      expect(d.message, `the error for ${d.agent}'s ${d.op[0]} of ${d.path}`).toMatch(TRACE_ID);
    }
  });

  test('every denial is in the Secure9P log with the actor identity', async ({ secure9p }) => {
    const since = Date.now() - 1000;
    const denials = await provokeDenials((a) => secure9p.attach(a));
    const lines = await secure9p.readLog('secure9p');
    for (const d of denials) {
      const fromError = TRACE_ID.exec(d.message)?.[1];
      // the line of this very denial: by its trace id when the client got one, else the latest one since the test began
      const candidates = lines.filter((l) =>
        fromError ? l.trace_id === fromError : Number(l.ts) >= since && l.path === d.path,
      );
      const line = candidates[candidates.length - 1];
      expect(
        line,
        `no line in the Secure9P log for ${d.agent}'s ${d.op[0]} of ${d.path}${fromError ? ` (trace_id ${fromError})` : ''}`,
      ).toBeDefined();
      expect(line!.actor, 'the actor identity').toBe(d.agent);
      expect(line!.path, 'the path').toBe(d.path);
      expect(d.op, 'the operation').toContain(String(line!.op));
      expect(String(line!.trace_id), 'the logged trace id').toMatch(/^[0-9a-f]{8}$/);
    }
  });

  test('Secure9P events appear in the trace log as schema-valid lines', async ({ secure9p }) => {
    const fs = await secure9p.attach('queen_primary');
    const path = `/srv/testlog/qa-replay-${tag()}`;
    await fs.writeFile(path, 'replay me');
    await fs.readFile(path);
    const lines = await secure9p.readLog('trace');
    const invalid = lines
      .map((l, i) => ({ i, errors: secure9p.traceLineErrors(l) }))
      .filter((x) => x.errors.length > 0);
    expect(invalid.slice(0, 5), 'trace lines that do not match trace-event.schema.json').toEqual([]);
    // replay: the session's operations on the file are recorded, in order
    const mine = lines
      .filter((l) => l.agent === 'queen_primary' && String(l.detail).startsWith(path))
      .map((l) => String(l.event));
    const order = ['walk', 'write', 'read'].map((e) => mine.indexOf(e));
    expect(
      order.every((i) => i >= 0),
      `events recorded for ${path}: ${mine.join(', ')}`,
    ).toBe(true);
    expect(mine.lastIndexOf('read'), 'the read comes after the write').toBeGreaterThan(mine.indexOf('write'));
  });
});
