// The reference annex and the worker executor together: success, each fallback
// reason, the CPU result equal to the remote one, telemetry and the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceAnnex, type ReferenceAnnex } from '../../reference/cuda-annex/annex.ts';
import { CudaExecutor } from '../../reference/cuda-annex/executor.ts';
import { expectedJobResult } from '../../harness/cuda-annex/expected.ts';
import { parseEndpoint, resolveEndpoint } from '../../contract/cuda-annex/endpoint.ts';

let annex: ReferenceAnnex;
let dir: string;
beforeAll(async () => {
  annex = await startReferenceAnnex();
  dir = mkdtempSync(join(tmpdir(), 'cuda-exec-'));
});
afterAll(async () => {
  await annex.close();
  rmSync(dir, { recursive: true, force: true });
});

function executorFor(endpoint: string | undefined, extra: Partial<{ env: Record<string, string> }> = {}) {
  const srv = join(dir, `srv-cuda-${Math.random().toString(36).slice(2)}`);
  if (endpoint !== undefined) writeFileSync(srv, endpoint + '\n');
  return new CudaExecutor({ srvCudaPath: srv, boundMs: 300, env: extra.env });
}

describe('endpoint parsing', () => {
  it('maps each malformed endpoint to its reason', () => {
    expect(parseEndpoint('tcp:127.0.0.1:5640', 'srv')).toMatchObject({ ok: true, port: 5640 });
    expect(parseEndpoint('tcp:[::1]:5640', 'srv')).toMatchObject({ ok: true, host: '::1' });
    expect(parseEndpoint('udp:127.0.0.1:5640', 'srv')).toMatchObject({
      reason: 'unsupported_endpoint_scheme',
    });
    expect(parseEndpoint('tcp:host', 'srv')).toMatchObject({ reason: 'invalid_endpoint' });
    expect(parseEndpoint('tcp:host:99999', 'srv')).toMatchObject({ reason: 'invalid_endpoint' });
    expect(parseEndpoint('127.0.0.1 5640', 'srv')).toMatchObject({ reason: 'invalid_endpoint' });
    expect(resolveEndpoint(join(dir, 'absent'), {})).toMatchObject({ reason: 'missing_remote_endpoint' });
    expect(resolveEndpoint(join(dir, 'absent'), { CUDA_SERVER: 'tcp:h:1' })).toMatchObject({
      ok: true,
      source: 'env',
    });
  });
});

describe('executor against the reference annex', () => {
  it('runs a job remotely and records it once', async () => {
    const ex = executorFor(annex.endpoint);
    const out = await ex.run({ id: 'ok-1', input: 'hello' });
    expect(out).toMatchObject({
      via: 'remote',
      status: 'remote_dispatch',
      result: expectedJobResult('hello'),
    });
    expect(ex.ledger).toEqual([{ job: 'ok-1', via: 'remote', result: expectedJobResult('hello') }]);
    expect(annex.executed.get('ok-1')).toBe(1);
    expect(ex.health.state).toBe('up');
    expect(ex.gpu.cuda_present).toBe(true);
  });

  it('CUDA_SERVER overrides /srv/cuda', async () => {
    const ex = executorFor('tcp:127.0.0.1:1', { env: { CUDA_SERVER: annex.endpoint } });
    expect((await ex.run({ id: 'env-1', input: 'x' })).status).toBe('remote_dispatch');
  });

  const cases: Array<[string, string | undefined, () => Promise<void>]> = [
    ['missing_remote_endpoint', undefined, async () => undefined],
    ['unsupported_endpoint_scheme', 'http://127.0.0.1:80', async () => undefined],
    ['invalid_endpoint', 'tcp:127.0.0.1', async () => undefined],
    ['remote_connection_failed', 'ANNEX', () => annex.faults.refuseConnections()],
    ['remote_dispatch_failed', 'ANNEX', () => annex.faults.failDispatches()],
  ];
  for (const [reason, endpoint, fault] of cases) {
    it(`falls back to the CPU on ${reason}`, async () => {
      await fault();
      try {
        const ex = executorFor(endpoint === 'ANNEX' ? annex.endpoint : endpoint);
        const out = await ex.run({ id: `fb-${reason}`, input: reason });
        expect(out).toMatchObject({ via: 'cpu', status: reason, result: expectedJobResult(reason) });
        expect(ex.telemetry.map((t) => ('fallback' in t ? t.fallback : t.event))).toEqual([reason, 'cpu']);
        expect(ex.ledger).toHaveLength(1);
        expect(ex.gpu.fallback_reason).toBe(reason);
      } finally {
        await annex.faults.reset();
      }
    });
  }

  it('a stopped annex is a connection failure, a slow one a dispatch failure the annex never finishes', async () => {
    const ex = executorFor(annex.endpoint);
    await annex.faults.stop();
    expect((await ex.run({ id: 'down-1', input: 'a' })).status).toBe('remote_connection_failed');
    await annex.faults.start();
    annex.faults.slow(900);
    const t0 = performance.now();
    expect((await ex.run({ id: 'slow-1', input: 'a' })).status).toBe('remote_dispatch_failed');
    expect(performance.now() - t0).toBeLessThan(800);
    await new Promise((r) => setTimeout(r, 1000));
    expect(annex.executed.get('slow-1')).toBeUndefined();
    await annex.faults.reset();
    expect((await ex.run({ id: 'back-1', input: 'a' })).status).toBe('remote_dispatch');
  });

  it('silent-success defect reports success without running the job', async () => {
    const ex = new CudaExecutor({
      srvCudaPath: join(dir, 'none'),
      boundMs: 300,
      defects: new Set(['cuda-silent-success']),
    });
    const out = await ex.run({ id: 'drop-1', input: 'x' });
    expect(out.status).toBe('remote_dispatch');
    expect(ex.ledger).toHaveLength(0);
  });
});
