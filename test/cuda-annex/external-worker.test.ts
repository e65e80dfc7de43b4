// The external worker driver: a worker process named in config, spoken to over the
// JSON-lines protocol. The reference worker CLI against the reference annex, and
// broken workers (garbage, silence, early exit, a hung job) giving bounded errors
// that name the worker and what was seen — never a crash or a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceAnnex, type ReferenceAnnex } from '../../reference/cuda-annex/annex.ts';
import { expectedJobResult } from '../../harness/cuda-annex/expected.ts';
import { startExternalWorker } from '../../harness/cuda-annex/external-worker.ts';
import type { WorkerCommand } from '../../contract/cuda-annex/resources.ts';
import { parseWorkerLine, parseWorkerRequest } from '../../contract/cuda-annex/worker-protocol.ts';
import type { CudaWorker } from '../../harness/cuda-annex/worker-driver.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';

let annex: ReferenceAnnex;
let dir: string;
let seq = 0;
beforeAll(async () => {
  annex = await startReferenceAnnex();
  dir = mkdtempSync(join(tmpdir(), 'cuda-extw-'));
});
afterAll(async () => {
  await annex.close();
  rmSync(dir, { recursive: true, force: true });
});

const controlPlane = {
  grpcAddress: '127.0.0.1:1',
  caCert: '/nonexistent/ca.pem',
  workerCert: '/nonexistent/w.pem',
  workerKey: '/nonexistent/w.key',
  workerId: 'qa-test-worker',
  role: 'DroneWorker',
};

function start(worker: WorkerCommand, srvCuda?: string): Promise<CudaWorker> {
  const w = startExternalWorker({
    name: `t${++seq}`,
    worker,
    srvCudaPath: join(dir, `srv-${seq}`),
    boundMs: 300,
    controlPlane,
  });
  return srvCuda === undefined
    ? w
    : w.then((x) => {
        x.setSrvCuda(srvCuda);
        return x;
      });
}

/** a fake worker in plain node: says hello, then runs `onLine` for each request line */
function fakeWorker(onLine: string, hello = true): WorkerCommand {
  const helloLine = JSON.stringify({ type: 'hello', protocol: 1, worker: 'fake', heartbeat: false });
  const script =
    (hello ? `console.log(${JSON.stringify(helloLine)});` : '') +
    `require('readline').createInterface({input: process.stdin}).on('line', (line) => {${onLine}});`;
  return { command: [process.execPath, '-e', script], startBoundMs: 10_000, replyBoundMs: 500 };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('protocol parsing', () => {
  it('accepts the protocol messages and names what is wrong with anything else', () => {
    expect(parseWorkerLine('{"type":"hello","protocol":1,"worker":"w","heartbeat":true}').ok).toBe(true);
    expect(parseWorkerLine('{"type":"ledger","job":"j","via":"cpu","result":"ab"}').ok).toBe(true);
    expect(parseWorkerLine('garbage')).toEqual({ ok: false, why: 'not JSON' });
    expect(parseWorkerLine('[1]')).toEqual({ ok: false, why: 'not a JSON object' });
    expect(
      parseWorkerLine('{"type":"outcome","id":"j","via":"gpu","status":"remote_dispatch","result":""}'),
    ).toMatchObject({ ok: false, why: expect.stringContaining('via (remote|cpu)') });
    expect(
      parseWorkerLine('{"type":"outcome","id":"j","via":"cpu","status":"oops","result":""}'),
    ).toMatchObject({
      ok: false,
      why: expect.stringContaining('outcome.status'),
    });
    expect(
      parseWorkerLine('{"type":"telemetry","event":{"ts":1,"job":"j","source":"gpu","fallback":"cpu"}}'),
    ).toMatchObject({ ok: false, why: 'event.source must be "cuda"' });
    expect(parseWorkerLine('{"type":"nope"}')).toMatchObject({
      ok: false,
      why: expect.stringContaining('unknown type'),
    });
    expect(parseWorkerRequest('{"op":"run","job":{"id":"a","input":"b"}}')).toEqual({
      op: 'run',
      job: { id: 'a', input: 'b' },
    });
    expect(parseWorkerRequest('{"op":"dance"}')).toMatchObject({
      error: expect.stringContaining('unknown op'),
    });
  });
});

describe('the reference worker CLI as an external worker', () => {
  it('runs jobs remotely and falls back with telemetry, ledger and GPU record', async () => {
    const w = await start(
      {
        command: [process.execPath, '--import', 'tsx', 'reference/cuda-annex/worker-cli.ts'],
        cwd: PROJECT_ROOT,
      },
      annex.endpoint,
    );
    try {
      const ok = await w.run({ id: 'x-ok', input: 'hello' });
      expect(ok).toMatchObject({
        id: 'x-ok',
        via: 'remote',
        status: 'remote_dispatch',
        result: expectedJobResult('hello'),
      });
      expect(annex.executed.get('x-ok')).toBe(1);
      w.setSrvCuda(`udp:${annex.host}:${annex.port}`);
      const fb = await w.run({ id: 'x-fb', input: 'fb' });
      expect(fb).toMatchObject({
        via: 'cpu',
        status: 'unsupported_endpoint_scheme',
        result: expectedJobResult('fb'),
      });
      expect(w.ledger).toEqual([
        { job: 'x-ok', via: 'remote', result: expectedJobResult('hello') },
        { job: 'x-fb', via: 'cpu', result: expectedJobResult('fb') },
      ]);
      expect(
        w.telemetry.filter((e) => e.job === 'x-fb').map((e) => ('fallback' in e ? e.fallback : e.event)),
      ).toEqual(['unsupported_endpoint_scheme', 'cpu']);
      expect(w.gpu.fallback_reason).toBe('unsupported_endpoint_scheme');
      await expect(w.run({ id: 'bad id', input: '' })).rejects.toThrow(/rejected job bad id: job id/);
    } finally {
      await w.close();
    }
  }, 60_000);
});

describe('broken workers: bounded, clear errors', () => {
  it('a line that is not protocol names the worker, the line number and the line', async () => {
    const w = await start(fakeWorker(`console.log('not json at all')`));
    try {
      await expect(w.run({ id: 'j1', input: 'x' })).rejects.toThrow(
        /worker t\d+ \(.*pid \d+\) wrote line 2 that is not the cuda worker protocol \(not JSON\): not json at all/,
      );
      // the worker stays broken: later jobs fail with the same error, at once
      await expect(w.run({ id: 'j2', input: 'x' })).rejects.toThrow(/line 2/);
    } finally {
      await w.close();
    }
  });

  it('output without newlines is cut off at 1 MiB, not buffered without end', async () => {
    const w = await start(
      fakeWorker(`const b = 'x'.repeat(65536); for (let i = 0; i < 20; i++) process.stdout.write(b)`),
    );
    try {
      await expect(w.run({ id: 'j1', input: 'x' })).rejects.toThrow(
        /wrote more than 1048576 bytes without a newline after line 1/,
      );
    } finally {
      await w.close();
    }
  });

  it('no hello within the bound: says what it waited for and what it saw; the process is reaped', async () => {
    const cmd = { ...fakeWorker('', false), startBoundMs: 400 };
    let pid = 0;
    const err = await start(cmd).then(
      () => new Error('started'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(
      /waited 400 ms for its hello line .* from worker t\d+ .*last line seen \(#0\): nothing yet/,
    );
    pid = Number(/pid (\d+)/.exec(err.message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it('a worker that exits at start: its exit code and stderr', async () => {
    const err = await start({
      command: [process.execPath, '-e', `process.stderr.write('no gpu here'); process.exit(3)`],
    }).then(
      () => new Error('started'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/exited \(code 3\).*stderr: no gpu here/s);
  });

  it('a job with no outcome: bounded by replyBoundMs, naming the job and the last line', async () => {
    const w = await start(fakeWorker(`/* swallow the job */`));
    try {
      await expect(w.run({ id: 'hung', input: 'x' })).rejects.toThrow(
        /waited 500 ms for the outcome of job hung from worker t\d+ .*last line seen \(#1\): \{"type":"hello"/,
      );
    } finally {
      await w.close();
    }
  });

  it('a worker that does not heartbeat: heartbeats are reported not judged, not faked', async () => {
    const w = await start(fakeWorker(''));
    try {
      const hb = await w.heartbeats(100);
      expect(hb).toEqual({ notJudged: expect.stringMatching(/does not heartbeat to the control plane/) });
    } finally {
      await w.close();
    }
  });
});
