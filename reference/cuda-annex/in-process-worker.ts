// The reference executor as a CudaWorker, in the suite's own process: the default
// when the config names no worker command. Part of the reference target, reached
// by the harness only through its target door (harness/target/reference-in-process.ts).
import { CudaExecutor } from './executor.ts';
import { startHeartbeats } from './heartbeat.ts';
import type { CudaAnnexDefect } from './defect-names.ts';
import type { ControlPlaneClient } from '../orchestrator/client.ts';
import {
  writeSrvCuda,
  type CudaWorker,
  type WorkerHeartbeats,
} from '../../harness/cuda-annex/worker-driver.ts';

export interface InProcessWorkerOptions {
  name: string;
  srvCudaPath: string;
  env: Record<string, string>;
  boundMs: number;
  defects?: ReadonlySet<CudaAnnexDefect>;
  controlPlane: { client: ControlPlaneClient; workerId: string; role: string };
}

export function inProcessWorker(opts: InProcessWorkerOptions): CudaWorker {
  const ex = new CudaExecutor({
    srvCudaPath: opts.srvCudaPath,
    env: opts.env,
    boundMs: opts.boundMs,
    defects: opts.defects,
  });
  const loops: WorkerHeartbeats[] = [];
  return {
    name: opts.name,
    kind: 'in-process',
    run: (job) => ex.run(job),
    telemetry: ex.telemetry,
    ledger: ex.ledger,
    get gpu() {
      return ex.gpu;
    },
    setSrvCuda: (text) => writeSrvCuda(opts.srvCudaPath, text),
    async heartbeats(intervalMs) {
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
