// The reference executor as a CudaWorker, in the suite's own process: today's
// behaviour, and the default when the config names no worker command.
import { CudaExecutor } from '../../reference/cuda-annex/executor.ts';
import { startHeartbeats } from '../../reference/cuda-annex/heartbeat.ts';
import type { CudaAnnexDefect } from '../../reference/cuda-annex/defect-names.ts';
import type { OrchestratorClient } from '../gui/orchestrator-client.ts';
import { writeSrvCuda, type CudaWorker, type WorkerHeartbeats } from './worker-driver.ts';

export interface InProcessWorkerOptions {
  name: string;
  srvCudaPath: string;
  env: Record<string, string>;
  boundMs: number;
  defect?: CudaAnnexDefect;
  controlPlane: { client: OrchestratorClient; workerId: string; role: string };
}

export function inProcessWorker(opts: InProcessWorkerOptions): CudaWorker {
  const ex = new CudaExecutor({
    srvCudaPath: opts.srvCudaPath,
    env: opts.env,
    boundMs: opts.boundMs,
    defect: opts.defect,
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
        defect: opts.defect,
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
