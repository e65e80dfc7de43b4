// /api/metrics: Prometheus text exposition (prom-client), rebuilt from a fresh
// GetClusterState on every scrape so a departed worker's series disappear with it.
import { Counter, Gauge, Registry } from 'prom-client';
import type { ClusterStateResponse } from '../../contract/orchestrator/orchestrator-types.ts';

const TRUST_VALUE: Record<string, number> = { green: 2, yellow: 1, red: 0 };
const UNHEALTHY = new Set(['error', 'failed', 'degraded', 'offline', 'restarting']);

export class GuiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'cohesix_gui_requests_total',
    help: 'GUI API requests by route and HTTP status',
    labelNames: ['route', 'code'],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'cohesix_gui_rate_limited_total',
    help: 'GUI API requests refused by the per-client rate limit',
    registers: [this.registry],
  });
  private readonly controlPlaneUp = new Gauge({
    name: 'cohesix_control_plane_up',
    help: '1 when the last GetClusterState succeeded',
    registers: [this.registry],
  });
  private readonly workers = new Gauge({
    name: 'cohesix_workers',
    help: 'Workers currently joined',
    registers: [this.registry],
  });
  private readonly healthy = new Gauge({
    name: 'cohesix_worker_healthy',
    help: '1 when the worker heartbeats within the timeout and reports no failure status',
    labelNames: ['worker_id', 'role', 'status'],
    registers: [this.registry],
  });
  private readonly trust = new Gauge({
    name: 'cohesix_worker_trust',
    help: 'Worker trust level: green=2, yellow=1, red=0',
    labelNames: ['worker_id', 'level'],
    registers: [this.registry],
  });
  private readonly lastSeen = new Gauge({
    name: 'cohesix_worker_last_seen_seconds',
    help: "Unix time of the worker's last heartbeat",
    labelNames: ['worker_id'],
    registers: [this.registry],
  });
  private readonly gpuLoad = new Gauge({
    name: 'cohesix_worker_gpu_load',
    help: 'GPU current_load reported by the worker',
    labelNames: ['worker_id'],
    registers: [this.registry],
  });
  private readonly gpuCapacity = new Gauge({
    name: 'cohesix_worker_gpu_capacity',
    help: 'GPU gpu_capacity reported by the worker',
    labelNames: ['worker_id'],
    registers: [this.registry],
  });
  private readonly gpuTemp = new Gauge({
    name: 'cohesix_worker_gpu_temperature_celsius',
    help: 'GPU last_temp reported by the worker',
    labelNames: ['worker_id'],
    registers: [this.registry],
  });
  private readonly gpuWatt = new Gauge({
    name: 'cohesix_worker_gpu_perf_watt',
    help: 'GPU perf_watt reported by the worker',
    labelNames: ['worker_id'],
    registers: [this.registry],
  });

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Refresh the worker series from a cluster state (undefined: control plane unreachable). */
  async render(state: ClusterStateResponse | undefined): Promise<string> {
    for (const g of [
      this.healthy,
      this.trust,
      this.lastSeen,
      this.gpuLoad,
      this.gpuCapacity,
      this.gpuTemp,
      this.gpuWatt,
    ])
      g.reset();
    this.controlPlaneUp.set(state ? 1 : 0);
    this.workers.set(state?.workers.length ?? 0);
    for (const w of state?.workers ?? []) {
      const fresh = state!.generated_at - w.last_seen <= state!.timeout_seconds;
      this.healthy.set(
        { worker_id: w.worker_id, role: w.role, status: w.status },
        fresh && !UNHEALTHY.has(w.status) ? 1 : 0,
      );
      this.trust.set({ worker_id: w.worker_id, level: w.trust }, TRUST_VALUE[w.trust] ?? -1);
      this.lastSeen.set({ worker_id: w.worker_id }, w.last_seen);
      if (w.gpu) {
        this.gpuLoad.set({ worker_id: w.worker_id }, w.gpu.current_load);
        this.gpuCapacity.set({ worker_id: w.worker_id }, w.gpu.gpu_capacity);
        this.gpuTemp.set({ worker_id: w.worker_id }, w.gpu.last_temp);
        this.gpuWatt.set({ worker_id: w.worker_id }, w.gpu.perf_watt);
      }
    }
    return this.registry.metrics();
  }
}
