// CUDA annex (Epic 2): a worker's GPU jobs survive every way the annex can be
// missing or failing — the CPU path computes the same result, the telemetry says
// why, nothing claims remote success — and the control plane's /api/status shows
// the annex going down and coming back. The outage campaign is seeded
// (CUDA_ANNEX_SEED) and reports its fallback success ratio as a measurement.
// The worker under test is the reference executor, or the user's worker process
// named in config (`cuda-annex.worker.command`); the annex, the reference one or
// the user's behind the suite's fault proxy.
import {
  test,
  describe,
  expectedJobResult,
  FALLBACK_REASONS,
  type ApiStatus,
  type CudaAnnexSession as Session,
  type FallbackReason,
  InfraError,
} from '../../harness/fixtures.ts';

/** Put the annex in the state that must produce `reason`; returns what the worker's /srv/cuda must hold. */
async function arrangeFailure(cudaAnnex: Session, reason: FallbackReason): Promise<string | undefined> {
  const { annex } = cudaAnnex;
  switch (reason) {
    case 'missing_remote_endpoint':
      return undefined;
    case 'unsupported_endpoint_scheme':
      return `udp:${annex.host}:${annex.port}`;
    case 'invalid_endpoint':
      return `tcp:${annex.host}:not-a-port`;
    case 'remote_connection_failed':
      await annex.faults.stop();
      return annex.endpoint;
    case 'remote_dispatch_failed':
      await annex.faults.failDispatches();
      return annex.endpoint;
  }
}

describe('fallback', () => {
  for (const reason of FALLBACK_REASONS) {
    test(`${reason}: the job completes on the CPU path with the correct result`, async ({
      cudaAnnex,
      problems,
    }) => {
      const worker = await cudaAnnex.worker({ srvCuda: await arrangeFailure(cudaAnnex, reason) });
      const job = { id: `fb-${reason}`, input: `input for ${reason}` };
      const out = await worker.run(job);
      const want = expectedJobResult(job.input);
      problems.check(out.status === reason, `job ${job.id}'s outcome names the fallback reason`, {
        expected: reason,
        found: out.status,
      });
      problems.check(
        out.via === 'cpu',
        `job ${job.id} runs on the CPU path when the annex is unusable (${reason})`,
        {
          expected: 'cpu',
          found: out.via,
        },
      );
      problems.check(out.result === want, `job ${job.id}'s CPU result is the job's result`, {
        expected: want,
        found: out.result,
      });
      const entries = worker.ledger.filter((e) => e.job === job.id);
      problems.check(
        entries.length === 1 && entries[0]!.via === 'cpu' && entries[0]!.result === want,
        `job ${job.id} is accounted for exactly once in the worker's ledger, on the CPU`,
        { expected: [{ job: job.id, via: 'cpu', result: want }], found: entries },
      );
      problems.check(
        !(cudaAnnex.annex.executed?.has(job.id) ?? false),
        `the annex ran job ${job.id} although the worker reported ${out.status}: nothing may claim remote success`,
      );
    });
  }

  test('every fallback emits telemetry: source cuda, the reason, then fallback cpu', async ({
    cudaAnnex,
    problems,
  }) => {
    const fallbacks: Array<{ job: string; reason: string; events: unknown[] }> = [];
    // one worker; its /srv/cuda is rewritten per reason (it reads it at every job)
    const worker = await cudaAnnex.worker();
    for (const reason of FALLBACK_REASONS) {
      worker.setSrvCuda(await arrangeFailure(cudaAnnex, reason));
      const job = { id: `tele-${reason}`, input: reason };
      const out = await worker.run(job);
      await cudaAnnex.annex.faults.reset();
      // judged here: the telemetry of each fallback that happened (whether it happened is the case above)
      if (out.via !== 'cpu') continue;
      const events = worker.telemetry.filter((t) => t.job === job.id);
      fallbacks.push({ job: job.id, reason: out.status, events });
      problems.check(
        worker.gpu.fallback_reason === out.status,
        `after the ${reason} fallback, the GPU telemetry's fallback_reason names it`,
        { expected: out.status, found: worker.gpu.fallback_reason ?? 'nothing' },
      );
    }
    problems.check(
      fallbacks.length > 0,
      `none of the ${FALLBACK_REASONS.length} annex failure kinds produced a CPU fallback`,
    );
    for (const f of fallbacks) {
      const seen = f.events.map((e) => ({
        source: (e as { source: string }).source,
        fallback: (e as { fallback?: string }).fallback,
      }));
      const want = [
        { source: 'cuda', fallback: f.reason },
        { source: 'cuda', fallback: 'cpu' },
      ];
      problems.check(
        JSON.stringify(seen) === JSON.stringify(want),
        `job ${f.job}'s telemetry says, in order, source cuda with the reason then fallback cpu`,
        { expected: want, found: seen },
      );
    }
  });
});

describe('status', () => {
  test('/api/status shows an annex outage and its recovery within the bound', async ({
    cudaAnnex,
    measure,
  }) => {
    const { workerId, statusBoundMs } = cudaAnnex.resources;
    const mine = (s: ApiStatus) => s.worker_statuses.find((w) => w.worker_id === workerId);
    const worker = await cudaAnnex.worker();
    await cudaAnnex.heartbeats(worker);
    await cudaAnnex.waitForStatus(
      `${workerId} online with a GPU`,
      (s) => mine(s)?.status === 'online' && (mine(s)?.gpu?.gpu_capacity ?? 0) > 0,
      statusBoundMs * 2,
    );
    await cudaAnnex.annex.faults.stop();
    // a probe in flight when the annex stopped may report remote_dispatch_failed once;
    // the next one must see the connection refused
    const down = await cudaAnnex.waitForStatus(
      `${workerId} with the annex down (annex-down:remote_connection_failed, no GPU capacity)`,
      (s) => mine(s)?.status === 'annex-down:remote_connection_failed' && mine(s)?.gpu?.gpu_capacity === 0,
      statusBoundMs,
    );
    await cudaAnnex.annex.faults.start();
    const up = await cudaAnnex.waitForStatus(
      `${workerId} online again`,
      (s) => mine(s)?.status === 'online' && (mine(s)?.gpu?.gpu_capacity ?? 0) > 0,
      statusBoundMs,
    );
    measure.record({
      name: 'cuda-annex status reflects outage / recovery',
      unit: 'ms',
      samples: [down.ms, up.ms],
      statistic: 'max',
      budgetMs: statusBoundMs,
    });
  });
});

describe('heartbeat', () => {
  test('heartbeat metrics are present and fresh: GPU load and annex health per worker', async ({
    cudaAnnex,
    problems,
  }) => {
    const { workerId, heartbeatMs, workerTimeoutSeconds, statusBoundMs } = cudaAnnex.resources;
    const worker = await cudaAnnex.worker();
    const loop = await cudaAnnex.heartbeats(worker);
    for (let i = 0; i < 3; i++) await worker.run({ id: `hb-${i}`, input: `hb ${i}` });
    const { status } = await cudaAnnex.waitForStatus(
      `${workerId} with GPU telemetry`,
      (s) =>
        s.worker_statuses.some((w) => w.worker_id === workerId && w.gpu !== null && w.status === 'online'),
      statusBoundMs * 2,
    );
    const me = status.worker_statuses.find((w) => w.worker_id === workerId)!;
    for (const field of [
      'mem_total',
      'mem_free',
      'last_temp',
      'gpu_capacity',
      'current_load',
      'latency_score',
    ]) {
      const value = (me.gpu as unknown as Record<string, unknown>)[field];
      problems.check(
        typeof value === 'number',
        `/api/status reports gpu.${field} of ${workerId} as a number`,
        {
          path: `/worker_statuses/${workerId}/gpu/${field}`,
          expected: 'a number',
          found: value,
        },
      );
    }
    problems.check(me.gpu!.mem_total > 0, `/api/status reports ${workerId}'s GPU memory from the annex`, {
      expected: 'mem_total > 0',
      found: me.gpu!.mem_total,
    });
    const age = status.generated_at - me.last_seen;
    problems.check(age <= workerTimeoutSeconds, `${workerId} was last seen within the worker timeout`, {
      expected: `<= ${workerTimeoutSeconds} s ago`,
      found: `${age} s ago`,
    });
    const metrics = await cudaAnnex.metrics();
    for (const series of ['cohesix_worker_gpu_load', 'cohesix_worker_last_seen_seconds'])
      problems.check(
        new RegExp(`^${series}\\{[^}]*worker_id="${workerId}"[^}]*\\} [0-9.e+]+$`, 'm').test(metrics),
        `/api/metrics has the ${series} series for ${workerId}`,
      );
    const beatsBefore = loop.metrics.beats;
    await new Promise((r) => setTimeout(r, heartbeatMs * 4));
    const beats = loop.metrics.beats - beatsBefore;
    problems.check(
      beats >= 2,
      `heartbeats keep coming: over ${heartbeatMs * 4} ms (4 intervals) at least 2`,
      {
        found: `${beats} beats`,
      },
    );
    const sinceAck = Date.now() - loop.metrics.lastAckAt;
    problems.check(sinceAck < heartbeatMs * 3, 'the last acknowledged heartbeat is fresh', {
      expected: `< ${heartbeatMs * 3} ms ago`,
      found: `${sinceAck} ms ago`,
    });
    problems.check(
      loop.metrics.lastError === undefined,
      `the heartbeat loop reports an error: ${loop.metrics.lastError}`,
    );
  });
});

describe('outage campaign', () => {
  test('200 jobs through random outages: fallback ratio >= 95 %, each job counted once', async ({
    cudaAnnex,
    measure,
    problems,
  }) => {
    const seed = Number(process.env['CUDA_ANNEX_SEED'] ?? 20261129);
    if (!Number.isInteger(seed))
      throw new InfraError(
        `CUDA_ANNEX_SEED must be an integer, got "${process.env['CUDA_ANNEX_SEED']}"`,
        'unset CUDA_ANNEX_SEED or set it to an integer',
      );
    const boundMs = 80;
    const worker = await cudaAnnex.worker({ boundMs });
    const r = await cudaAnnex.campaign(worker, seed, 200, boundMs);
    console.log(
      `cuda-annex outage campaign seed=${seed}: ${r.jobs} jobs, ${r.remote} remote, ${r.cpu} CPU, ` +
        `fallback success ${(r.fallbackSuccessRatio * 100).toFixed(1)} %, completion ${(r.completionRatio * 100).toFixed(1)} %, ` +
        `${r.ranOnBoth.length} abandoned dispatches the annex finished anyway, ${Math.round(r.ms)} ms; faults ${JSON.stringify(r.faults)}; reasons ${JSON.stringify(r.fallbackReasons)}`,
    );
    measure.record({
      name: 'cuda-annex fallback success ratio',
      unit: '%',
      samples: [r.fallbackSuccessRatio * 100],
      statistic: 'min',
      detail: r,
    });
    measure.record({ name: 'cuda-annex outage campaign', unit: 'ms', samples: [r.ms], statistic: 'max' });
    problems.check(r.jobs === 200, 'the campaign ran all 200 jobs', { found: `${r.jobs} jobs` });
    problems.check(r.remote > 0, `no job of ${r.jobs} ran on the annex: the campaign did not exercise it`);
    problems.check(r.cpu > 0, `no job of ${r.jobs} fell back to the CPU: the outages did not bite`);
    problems.check(
      r.fallbackSuccessRatio >= 0.95,
      `fallback success ${(r.fallbackSuccessRatio * 100).toFixed(1)} % over ${r.cpu} CPU fallbacks, under the 95 % goal`,
      { expected: '>= 95 %', found: `${(r.fallbackSuccessRatio * 100).toFixed(1)} %` },
    );
    problems.none(r.lost, (j) => `job ${j} was lost: neither the annex nor the CPU completed it`);
    problems.none(r.countedTwice, (j) => `job ${j} was counted twice in the ledger`);
    problems.none(
      r.phantomRemote,
      (j) => `job ${j} was reported as a remote success the ledger does not hold`,
    );
    problems.none(r.wrongResults, (j) => `job ${j} returned a wrong result`);
  });
});
