// The runner's semantics against a scripted console: EXPECT judges the ack
// (not the streamed lines), ERR deferred to EXPECT, strict stop, WAIT, the
// failure message, several attach … quit blocks, {{msize_overflow}}, and the
// client-side lifecycle check that sends nothing.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScript } from '../../harness/coh/parse.ts';
import { runScript } from '../../harness/coh/run.ts';
import { fakeConsole, type FakeConsole } from './fake-console.ts';

function answers(line: string): string[] | null {
  if (line.startsWith('ATTACH ')) return [`OK ATTACH role=${line.split(' ')[1]}`];
  if (line === 'PING') return ['OK PING reply=pong', 'PONG'];
  if (line === 'CAT /proc/boot') return ['OK CAT path=/proc/boot data=a=1', 'a=1', 'secret-in-stream', 'END'];
  if (line === 'CAT /proc/lifecycle/state')
    return ['OK CAT path=/proc/lifecycle/state data=state=ONLINE', 'END'];
  if (line.startsWith('ECHO /queen/ctl {"mount"'))
    return ['ERR ECHO reason=policy detail=invalid-path path=/queen/ctl error=invalid path'];
  if (line.startsWith('ECHO ')) return [`OK ECHO path=${line.split(' ')[1]} bytes=3`];
  return [`ERR ${line.split(' ')[0]} reason=unsupported`];
}

const run = (f: FakeConsole, text: string, baseDir = tmpdir()) => {
  const p = parseScript(text);
  expect(p.problems).toEqual([]);
  return runScript(p.statements, { console: f.console, file: 'pack/t.coh', baseDir, ackTimeoutMs: 2000 });
};

describe('.coh runner', () => {
  it('passes a script whose expectations hold, one check a statement in test --json shape', async () => {
    const f = await fakeConsole(answers);
    const r = await run(
      f,
      'attach queen\nEXPECT SUBSTR role=queen\nping\nEXPECT OK\nWAIT 50\nquit\nEXPECT OK',
    );
    expect(r.failure).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => `${c.name} | ${c.detail}`)).toEqual([
      'line 1: attach queen | OK ATTACH role=queen',
      'line 2: EXPECT SUBSTR role=queen | OK expectation met',
      'line 3: ping | OK PING reply=pong',
      'line 4: EXPECT OK | OK expectation met',
      'line 5: WAIT 50 | OK waited 50ms',
      'line 6: quit | OK QUIT',
      'line 7: EXPECT OK | OK expectation met',
    ]);
    expect(f.received).toEqual(['AUTH changeme', 'ATTACH queen ', 'PING', 'quit']);
  });

  it('judges the acknowledgement line, not the streamed lines', async () => {
    const f = await fakeConsole(answers);
    const r = await run(f, 'attach queen\ncat /proc/boot\nEXPECT SUBSTR secret-in-stream');
    expect(r.failure?.message).toBe(
      'pack/t.coh:3: EXPECT SUBSTR secret-in-stream — last ack: OK CAT path=/proc/boot data=a=1\n' +
        'expected an acknowledgement containing "secret-in-stream", the acknowledgement was "OK CAT path=/proc/boot data=a=1"',
    );
  });

  it('defers an ERR to the EXPECTs that follow, and stops on an ERR nobody expected', async () => {
    const f = await fakeConsole(answers);
    const ok = await run(
      f,
      'attach queen\nmount gpu-bridge /gpu\nEXPECT ERR\nEXPECT SUBSTR detail=invalid-path\nEXPECT NOT OK',
    );
    expect(ok.ok).toBe(true);
    expect(ok.checks[1]).toEqual({
      name: 'line 2: mount gpu-bridge /gpu',
      ok: true,
      detail: 'ERR deferred to EXPECT',
    });

    const bad = await run(f, 'attach queen\nls /proc\nping\nEXPECT OK');
    expect(bad.failure).toMatchObject({
      line: 2,
      statement: 'ls /proc',
      lastAck: 'ERR LS reason=unsupported',
    });
    expect(bad.failure?.message.split('\n')[0]).toBe(
      'pack/t.coh:2: ls /proc — last ack: ERR LS reason=unsupported',
    );
    // strict: nothing after the failure was sent (only the closing quit)
    expect(f.received.slice(-2)).toEqual(['LS /proc', 'quit']);
  });

  it('runs several attach … quit blocks, each on its own connection, and quits an open session at the end', async () => {
    const f = await fakeConsole(answers);
    const r = await run(f, 'attach queen\nquit\nattach queen\nping\nEXPECT OK');
    expect(r.ok).toBe(true);
    expect(f.connections).toBe(2);
    expect(f.received.filter((l) => l === 'quit')).toHaveLength(2);
  });

  it('sends {{msize_overflow}} as one oversized frame', async () => {
    const f = await fakeConsole(answers);
    const r = await run(f, 'attach queen\necho {{msize_overflow}} > /log/queen.log\nEXPECT SUBSTR ERR FRAME');
    expect(r.ok).toBe(true);
    expect(f.received).toContain(`<invalid ${4 + 'ECHO /log/queen.log '.length + 320}>`);
    expect(r.transcript).not.toContain('X'.repeat(100));
  });

  it('checks a lifecycle transition locally and sends nothing when it is invalid', async () => {
    const f = await fakeConsole(answers);
    const r = await run(
      f,
      'attach queen\nlifecycle drain\nEXPECT ERR\nEXPECT SUBSTR invalid-transition\nlifecycle cordon',
    );
    expect(r.ok).toBe(true);
    expect(f.received.filter((l) => l.startsWith('ECHO /queen/lifecycle/ctl'))).toEqual([
      'ECHO /queen/lifecycle/ctl cordon',
    ]);
  });

  it('pushes telemetry from a file relative to the base dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coh-'));
    writeFileSync(join(dir, 't.txt'), 'temp=41\n');
    const f = await fakeConsole((l) =>
      l === 'CAT /queen/telemetry/d1/latest'
        ? ['OK CAT path=/queen/telemetry/d1/latest data=seg-000001', 'END']
        : answers(l),
    );
    const r = await run(f, 'attach queen\ntelemetry push t.txt --device d1\nEXPECT OK', dir);
    expect(r.ok).toBe(true);
    expect(f.received.slice(2, 5)).toEqual([
      'ECHO /queen/telemetry/d1/ctl {"new":"segment","mime":"text/plain"}',
      'CAT /queen/telemetry/d1/latest',
      'ECHO /queen/telemetry/d1/seg/seg-000001 {"schema":"cohsh-telemetry-push/v1","seq":1,"mime":"text/plain","payload":"temp=41"}',
    ]);
    const missing = await run(f, 'attach queen\ntelemetry push nope.txt --device d1', dir);
    expect(missing.failure?.reason).toBe(
      `telemetry push: no file ${join(dir, 'nope.txt')} (relative paths resolve against ${dir})`,
    );
  });

  it('pool bench appends in batches and reports one result line', async () => {
    const f = await fakeConsole(answers);
    const r = await run(
      f,
      'attach queen\npool bench path=/log/q ops=5 batch=2 payload=p\nEXPECT SUBSTR acked=5',
    );
    expect(r.ok).toBe(true);
    expect(f.received.filter((l) => l.startsWith('ECHO /log/q'))).toEqual([
      'ECHO /log/q p-0-base-0',
      'ECHO /log/q p-0-base-1',
      'ECHO /log/q p-1-base-2',
      'ECHO /log/q p-1-base-3',
      'ECHO /log/q p-2-base-4',
    ]);
  });

  it('turns a console that closes mid-script into a script failure naming the statement', async () => {
    const f = await fakeConsole((l) => (l === 'PING' ? null : answers(l)));
    const r = await run(f, 'attach queen\nping\nEXPECT OK');
    expect(r.failure?.message.split('\n')[0]).toBe('pack/t.coh:2: ping — last ack: OK ATTACH role=queen');
    expect(r.failure?.reason).toMatch(/connection closed/);
  });
});
