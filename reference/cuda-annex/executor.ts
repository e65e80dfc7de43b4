// The reference worker's CUDA executor. A job goes to the annex named by
// /srv/cuda (or CUDA_SERVER) through contract/ninep, within a bound; when that
// cannot happen the job runs on the CPU path instead, with the contract's
// fallback reason, and the telemetry says so: {source: cuda, fallback: <reason>}
// then {source: cuda, fallback: cpu}. Every completed job is entered in the
// ledger exactly once, remote or CPU. Defect modes reproduce upstream gaps.
import { resolveEndpoint } from '../../contract/cuda-annex/endpoint.ts';
import { AnnexCallError, withAnnex } from './annex-client.ts';
import { computeJob } from './job.ts';
import {
  dispatchLine,
  parseResultLine,
  type CudaJob,
  type FallbackReason,
  type GpuTelemetryFile,
  type JobOutcome,
  type LedgerEntry,
  type TelemetryEvent,
} from '../../contract/cuda-annex/wire.ts';

export { FALLBACK_REASONS } from '../../contract/cuda-annex/wire.ts';
export type { FallbackReason, JobOutcome, LedgerEntry, TelemetryEvent };
import type { CudaAnnexDefect } from './defect-names.ts';

export interface AnnexHealth {
  state: 'up' | 'down';
  /** why the annex was last judged down */
  reason?: FallbackReason;
  /** ms since the epoch of the last probe or dispatch that judged it */
  checkedAt: number;
}

export interface ExecutorOptions {
  /** the worker's /srv/cuda file */
  srvCudaPath?: string;
  /** environment to read CUDA_SERVER from (default: none) */
  env?: Record<string, string | undefined>;
  /** bound on one remote dispatch, connect included */
  boundMs: number;
  /** the defect modes in force; several may be on at once */
  defects?: ReadonlySet<CudaAnnexDefect>;
  now?: () => number;
}

export class CudaExecutor {
  readonly telemetry: TelemetryEvent[] = [];
  readonly ledger: LedgerEntry[] = [];
  health: AnnexHealth;
  /** the last GPU telemetry the worker knows (from the annex, or its own fallback record) */
  gpu: GpuTelemetryFile;
  private readonly now: () => number;

  constructor(private readonly opts: ExecutorOptions) {
    if (!(opts.boundMs > 0)) throw new Error(`boundMs must be > 0, got ${opts.boundMs}`);
    this.now = opts.now ?? Date.now;
    this.health = { state: 'down', reason: 'missing_remote_endpoint', checkedAt: 0 };
    this.gpu = offlineTelemetry('missing_remote_endpoint');
  }

  /** Run one job: remotely when possible, else on the CPU path. Never drops it. */
  async run(job: CudaJob): Promise<JobOutcome> {
    const started = performance.now();
    const line = dispatchLine(job);
    const ep = resolveEndpoint(this.opts.srvCudaPath, this.opts.env ?? {});
    if (!ep.ok) {
      if (this.opts.defects?.has('cuda-silent-success') && ep.reason === 'missing_remote_endpoint') {
        // upstream: no endpoint → "success", nothing ran, nothing recorded
        return { id: job.id, via: 'remote', status: 'remote_dispatch', result: '', ms: 0 };
      }
      return this.fallBack(job, ep.reason, ep.detail, started);
    }
    try {
      const sent = process.hrtime.bigint();
      const result = await withAnnex(ep.host, ep.port, this.opts.boundMs, async (fs) => {
        const f = await fs.open('/dispatch', 'rw');
        try {
          await fs.write(f.fid, 0n, Buffer.from(line));
          const reply = (await fs.read(f.fid, 0n, 256)).toString('utf8');
          const r = parseResultLine(reply, job.id);
          if (r === undefined) throw new Error(`/dispatch answered ${JSON.stringify(reply.slice(0, 80))}`);
          return r;
        } finally {
          await fs.clunk(f.fid).catch(() => undefined);
        }
      });
      // GPU telemetry comes from the heartbeat's probe of /telemetry; the job's own time is measured here
      const execNs = Number(process.hrtime.bigint() - sent);
      this.health = { state: 'up', checkedAt: this.now() };
      if (!this.gpu.cuda_present) this.gpu = { ...this.gpu, cuda_present: true, fallback_reason: null };
      this.gpu = { ...this.gpu, exec_time_ns: execNs };
      this.telemetry.push({
        ts: this.now(),
        job: job.id,
        source: 'cuda',
        event: 'remote_dispatch',
        exec_time_ns: execNs,
      });
      this.ledger.push({ job: job.id, via: 'remote', result });
      if (this.opts.defects?.has('cuda-double-run')) {
        // upstream: the CPU path ran as well and the job was counted twice
        this.ledger.push({ job: job.id, via: 'cpu', result: computeJob(job.input) });
      }
      return {
        id: job.id,
        via: 'remote',
        status: 'remote_dispatch',
        result,
        ms: performance.now() - started,
      };
    } catch (e) {
      const reason: FallbackReason = e instanceof AnnexCallError ? e.kind : 'remote_dispatch_failed';
      return this.fallBack(job, reason, (e as Error).message, started);
    }
  }

  /** Probe the annex's /telemetry within the bound; updates health and GPU telemetry. */
  async probe(): Promise<AnnexHealth> {
    const ep = resolveEndpoint(this.opts.srvCudaPath, this.opts.env ?? {});
    if (!ep.ok) {
      this.markDown(ep.reason);
      return this.health;
    }
    try {
      const tele = await withAnnex(ep.host, ep.port, this.opts.boundMs, async (fs) =>
        JSON.parse((await fs.readFile('/telemetry')).toString('utf8')),
      );
      this.gpu = { ...(tele as GpuTelemetryFile), fallback_reason: null };
      this.health = { state: 'up', checkedAt: this.now() };
    } catch (e) {
      this.markDown(e instanceof AnnexCallError ? e.kind : 'remote_dispatch_failed');
    }
    return this.health;
  }

  private markDown(reason: FallbackReason): void {
    this.health = { state: 'down', reason, checkedAt: this.now() };
    this.gpu = offlineTelemetry(reason);
  }

  private fallBack(job: CudaJob, reason: FallbackReason, detail: string, started: number): JobOutcome {
    this.markDown(reason);
    const result = computeJob(job.input);
    if (!this.opts.defects?.has('cuda-no-telemetry')) {
      this.telemetry.push({ ts: this.now(), job: job.id, source: 'cuda', fallback: reason, detail });
      this.telemetry.push({ ts: this.now(), job: job.id, source: 'cuda', fallback: 'cpu', result });
    }
    this.ledger.push({ job: job.id, via: 'cpu', result });
    return { id: job.id, via: 'cpu', status: reason, result, detail, ms: performance.now() - started };
  }
}

/** What a worker reports while it has no usable annex. */
export function offlineTelemetry(reason: FallbackReason): GpuTelemetryFile {
  return {
    cuda_present: false,
    driver_version: '',
    mem_total: 0,
    mem_free: 0,
    exec_time_ns: 0,
    fallback_reason: reason,
    temperature: 0,
    gpu_utilization: 0,
  };
}
