// The outage campaign's own behaviour: the schedule is a function of the seed, it
// exercises every fault kind over a few seeds, and its accounting catches a
// double-counting executor and a dropping one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { campaignSchedule, runOutageCampaign } from '../../harness/cuda-annex/campaign.ts';
import { startReferenceAnnex, type ReferenceAnnex } from '../../reference/cuda-annex/annex.ts';
import { CudaExecutor } from '../../reference/cuda-annex/executor.ts';

let annex: ReferenceAnnex;
let dir: string;
let srv: string;
beforeAll(async () => {
  annex = await startReferenceAnnex();
  dir = mkdtempSync(join(tmpdir(), 'cuda-camp-'));
  srv = join(dir, 'cuda');
  writeFileSync(srv, annex.endpoint);
});
afterAll(async () => {
  await annex.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('campaign schedule', () => {
  it('is the same for the same seed and covers the jobs exactly', () => {
    expect(campaignSchedule(7, 200)).toEqual(campaignSchedule(7, 200));
    expect(campaignSchedule(7, 200)).not.toEqual(campaignSchedule(8, 200));
    for (const seed of [1, 2, 3, 7]) {
      expect(campaignSchedule(seed, 200).reduce((n, [, k]) => n + k, 0)).toBe(200);
    }
    const kinds = new Set([1, 2, 3].flatMap((s) => campaignSchedule(s, 200).map(([f]) => f)));
    expect([...kinds].sort()).toEqual(['down', 'fail', 'refuse', 'slow', 'up']);
  });
});

describe('campaign accounting', () => {
  it('a correct executor: every job once, all fallbacks right', async () => {
    const ex = new CudaExecutor({ srvCudaPath: srv, boundMs: 80 });
    const r = await runOutageCampaign(ex, annex, { seed: 3, jobs: 60, boundMs: 80 });
    expect(r).toMatchObject({ jobs: 60, lost: [], countedTwice: [], wrongResults: [], phantomRemote: [] });
    expect(r.fallbackSuccessRatio).toBe(1);
    expect(r.remote + r.cpu).toBe(60);
    expect(annex.faults.mode).toBe('up');
  });

  it('catches a double-counting executor', async () => {
    const ex = new CudaExecutor({ srvCudaPath: srv, boundMs: 80, defects: new Set(['cuda-double-run']) });
    const r = await runOutageCampaign(ex, annex, { seed: 3, jobs: 30, boundMs: 80 });
    expect(r.countedTwice.length).toBe(r.remote);
    expect(r.remote).toBeGreaterThan(0);
  });

  it('catches an executor that drops jobs', async () => {
    const ex = new CudaExecutor({ srvCudaPath: srv, boundMs: 80 });
    const dropping = Object.assign(Object.create(ex) as CudaExecutor, {
      run: async (job: { id: string; input: string }) => {
        const out = await ex.run(job);
        if (out.via === 'cpu') ex.ledger.pop();
        return out;
      },
    });
    const r = await runOutageCampaign(dropping, annex, { seed: 3, jobs: 30, boundMs: 80 });
    expect(r.lost.length).toBe(r.cpu);
  });
});

describe('annex under hostile input', () => {
  it('answers garbage with an error or a close, and keeps serving', async () => {
    const sock = net.connect(annex.port, annex.host);
    await new Promise((r) => sock.once('connect', r));
    const closed = new Promise((r) => sock.once('close', r));
    sock.on('error', () => undefined);
    sock.write(Buffer.from([0xff, 0xff, 0xff, 0x7f, 100, 0, 0, 1, 2, 3]));
    await closed;
    const ex = new CudaExecutor({ srvCudaPath: srv, boundMs: 300 });
    expect((await ex.run({ id: 'after-garbage', input: 'x' })).status).toBe('remote_dispatch');
  });
});
