// The reference executor as a worker, in the suite's own process: the default when
// the config names no worker command. Part of the reference target, reached by the
// harness only through its target door (harness/target/reference-in-process.ts), which
// holds it to the harness's CudaWorker shape; the reference names none of the checker's types.
import { rmSync, writeFileSync } from 'node:fs';
import { CudaExecutor } from './executor.ts';
import { startHeartbeats, type HeartbeatLoop } from './heartbeat.ts';
import type { CudaAnnexDefect } from './defect-names.ts';
import type { ControlPlaneClient } from '../orchestrator/client.ts';
import type { CudaJob } from '../../contract/cuda-annex/wire.ts';

export interface InProcessWorkerOptions {
  name: string;
  srvCudaPath: string;
  env: Record<string, string>;
  boundMs: number;
  defects?: ReadonlySet<CudaAnnexDefect>;
  controlPlane: { client: ControlPlaneClient; workerId: string; role: string };
}

export function inProcessWorker(opts: InProcessWorkerOptions) {
  const ex = new CudaExecutor({
    srvCudaPath: opts.srvCudaPath,
    env: opts.env,
    boundMs: opts.boundMs,
    defects: opts.defects,
  });
  const loops: HeartbeatLoop[] = [];
  return {
    name: opts.name,
    kind: 'in-process' as const,
    run: (job: CudaJob) => ex.run(job),
    telemetry: ex.telemetry,
    ledger: ex.ledger,
    get gpu() {
      return ex.gpu;
    },
    // the worker reads /srv/cuda at each job: no file is "no annex configured"
    setSrvCuda: (text: string | undefined) =>
      text === undefined
        ? rmSync(opts.srvCudaPath, { force: true })
        : writeFileSync(opts.srvCudaPath, `${text}\n`),
    async heartbeats(intervalMs: number) {
      const loop = await startHeartbeats({
        ...opts.controlPlane,
        executor: ex,
        intervalMs,
        defects: opts.defects,
      });
      loops.push(loop);
      return loop;
    },
    evidence: () => ({
      worker: opts.name,
      kind: 'in-process',
      health: ex.health,
      gpu: ex.gpu,
      telemetry: ex.telemetry.slice(-50),
      ledger: ex.ledger.slice(-50),
      heartbeats: loops.map((l) => l.metrics),
    }),
    async close() {
      for (const l of loops) await l.stop();
    },
  };
}
