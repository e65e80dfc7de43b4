// The worker's heartbeat to the control plane (the orchestrator's gRPC Heartbeat):
// each beat probes the annex first, then reports GPU telemetry and annex health,
// so /api/status shows per-worker GPU load (gpu.current_load) and annex health
// (status `online`, or `annex-down:<reason>`). It also keeps heartbeat metrics
// (beats sent, failures, last ack) — the annex mount's heartbeat metrics.
import type { ControlPlaneClient } from '../orchestrator/client.ts';
import type { GpuTelemetry } from '../../contract/orchestrator/orchestrator-types.ts';
import type { AnnexHealth, CudaExecutor } from './executor.ts';
import type { GpuTelemetryFile } from './annex.ts';
import type { CudaAnnexDefect } from './defect-names.ts';

export interface HeartbeatMetrics {
  beats: number;
  failures: number;
  /** ms since the epoch of the last acknowledged beat (0 = none yet) */
  lastAckAt: number;
  lastStatus: string;
  lastError?: string;
}

export interface HeartbeatLoop {
  readonly metrics: HeartbeatMetrics;
  /** one probe + beat now (the loop also calls this on its timer) */
  beat(): Promise<void>;
  stop(): Promise<void>;
}

export interface HeartbeatOptions {
  client: ControlPlaneClient;
  workerId: string;
  role: string;
  executor: CudaExecutor;
  intervalMs: number;
  /** the defect modes in force (only cuda-stale-status acts here) */
  defects?: ReadonlySet<CudaAnnexDefect>;
  /** called after every beat attempt, acknowledged or not (the worker CLI reports it on stdout) */
  onBeat?: (m: HeartbeatMetrics) => void;
}

export function annexStatus(h: AnnexHealth): string {
  return h.state === 'up' ? 'online' : `annex-down:${h.reason ?? 'unknown'}`;
}

export function toGpuTelemetry(t: GpuTelemetryFile): GpuTelemetry {
  return {
    perf_watt: 0,
    mem_total: t.mem_total,
    mem_free: t.mem_free,
    last_temp: Math.round(t.temperature),
    gpu_capacity: t.cuda_present ? 100 : 0,
    current_load: Math.round(t.gpu_utilization),
    latency_score: Math.round(t.exec_time_ns / 1000),
  };
}

export async function startHeartbeats(opts: HeartbeatOptions): Promise<HeartbeatLoop> {
  const metrics: HeartbeatMetrics = { beats: 0, failures: 0, lastAckAt: 0, lastStatus: '' };
  let joined = false;
  // cuda-stale-status: the first healthy report is repeated forever
  let frozen: { status: string; gpu: GpuTelemetry } | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const once = async (): Promise<void> => {
    try {
      if (!joined) {
        await opts.client.call('Join', {
          worker_id: opts.workerId,
          ip: '127.0.0.1',
          role: opts.role,
          capabilities: ['cuda'],
          trust: '',
        });
        joined = true;
      }
      const health = await opts.executor.probe();
      let status = annexStatus(health);
      let gpu = toGpuTelemetry(opts.executor.gpu);
      if (opts.defects?.has('cuda-stale-status')) {
        if (!frozen && health.state === 'up') frozen = { status, gpu };
        if (frozen) ({ status, gpu } = frozen);
      }
      const r = await opts.client.call('Heartbeat', {
        worker_id: opts.workerId,
        timestamp: Math.floor(Date.now() / 1000),
        status,
        gpu,
      });
      if (!r.acknowledged) throw new Error('heartbeat not acknowledged');
      metrics.beats++;
      metrics.lastAckAt = Date.now();
      metrics.lastStatus = status;
      metrics.lastError = undefined;
    } catch (e) {
      metrics.failures++;
      metrics.lastError = (e as Error).message;
      // a NOT_FOUND after a timeout means the control plane forgot us: join again
      joined = false;
    }
    opts.onBeat?.(metrics);
  };
  const beat = (): Promise<void> => (inFlight ??= once().finally(() => (inFlight = undefined)));

  await beat();
  const timer = setInterval(() => {
    if (!stopped) void beat();
  }, opts.intervalMs);
  timer.unref();
  return {
    metrics,
    beat,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
