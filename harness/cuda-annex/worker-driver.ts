// What the cuda-annex suite drives: a CUDA worker, whichever implements it. The
// fixtures hand out one of two drivers bound to the target's resources: the
// reference executor in this process (in-process-worker.ts), or a worker process
// named in config speaking the JSON-lines protocol (external-worker.ts).
import { unlinkSync, writeFileSync } from 'node:fs';
import type { CudaJob, JobOutcome, LedgerEntry } from '../../contract/cuda-annex/wire.ts';
import type {
  GpuTelemetryRecord,
  HeartbeatReport,
  WorkerTelemetryEvent,
} from '../../contract/cuda-annex/worker-protocol.ts';

export interface WorkerHeartbeats {
  /** live: updated as the worker reports each beat */
  readonly metrics: HeartbeatReport;
  stop(): Promise<void>;
}

/** A worker that does not heartbeat to the control plane: what cannot be judged, and why. */
export interface HeartbeatsNotJudged {
  notJudged: string;
}

export interface CudaWorker {
  /** names the worker in errors and evidence */
  readonly name: string;
  readonly kind: 'in-process' | 'external';
  /** submit one job; resolves with the worker's outcome (remote or CPU, and why) */
  run(job: CudaJob): Promise<JobOutcome>;
  /** the worker's telemetry events so far, in order */
  readonly telemetry: readonly WorkerTelemetryEvent[];
  /** the worker's accounting so far: one entry per completed job, if it counts right */
  readonly ledger: readonly LedgerEntry[];
  /** the worker's current GPU telemetry record */
  readonly gpu: GpuTelemetryRecord;
  /** rewrite the worker's /srv/cuda (undefined removes it); the worker reads it at each job */
  setSrvCuda(text: string | undefined): void;
  /** start heartbeats to the control plane as the resources' worker identity */
  heartbeats(intervalMs: number): Promise<WorkerHeartbeats | HeartbeatsNotJudged>;
  /** what to attach as evidence when a case fails */
  evidence(): Record<string, unknown>;
  /** stop the worker (and its heartbeats); reaps a worker process */
  close(): Promise<void>;
}

/** Write or remove the file standing for a worker's /srv/cuda. */
export function writeSrvCuda(path: string, text: string | undefined): void {
  if (text === undefined) {
    try {
      unlinkSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  } else writeFileSync(path, text + '\n');
}
