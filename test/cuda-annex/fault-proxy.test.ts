// The fault proxy in front of an annex the suite does not control: each fault
// gives the executor the same fallback reason as the reference annex's own handle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../harness/cuda-annex/fault-proxy.ts';
import { startReferenceAnnex, type ReferenceAnnex } from '../../reference/cuda-annex/annex.ts';
import { CudaExecutor } from '../../reference/cuda-annex/executor.ts';
import { expectedJobResult } from '../../harness/cuda-annex/expected.ts';

let annex: ReferenceAnnex;
let proxy: FaultProxy;
let dir: string;
let ex: CudaExecutor;
beforeAll(async () => {
  annex = await startReferenceAnnex();
  proxy = await startFaultProxy(annex);
  dir = mkdtempSync(join(tmpdir(), 'cuda-proxy-'));
  writeFileSync(join(dir, 'cuda'), proxy.endpoint);
  ex = new CudaExecutor({ srvCudaPath: join(dir, 'cuda'), boundMs: 150 });
});
afterAll(async () => {
  await proxy.close();
  await annex.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fault proxy', () => {
  it('forwards 9P to the annex', async () => {
    expect(await ex.run({ id: 'p-ok', input: 'a' })).toMatchObject({
      status: 'remote_dispatch',
      result: expectedJobResult('a'),
    });
    expect(annex.executed.get('p-ok')).toBe(1);
  });

  it('maps each fault to its fallback reason and recovers', async () => {
    const cases: Array<[string, () => Promise<void> | void, string]> = [
      ['stop', () => proxy.faults.stop(), 'remote_connection_failed'],
      ['refuse', () => proxy.faults.refuseConnections(), 'remote_connection_failed'],
      ['fail', () => proxy.faults.failDispatches(), 'remote_dispatch_failed'],
      ['slow', () => proxy.faults.slow(400), 'remote_dispatch_failed'],
    ];
    for (const [name, fault, reason] of cases) {
      await fault();
      const out = await ex.run({ id: `p-${name}`, input: name });
      expect(out, name).toMatchObject({ via: 'cpu', status: reason, result: expectedJobResult(name) });
      await proxy.faults.reset();
      expect((await ex.run({ id: `p-${name}-back`, input: name })).status, `${name} recovered`).toBe(
        'remote_dispatch',
      );
    }
    expect(annex.executed.has('p-fail')).toBe(false);
  });
});
