// The reference control plane's in-memory cluster: workers join, heartbeat with
// GPU telemetry, get roles and trust levels, and are dropped once they have been
// silent for longer than timeoutSeconds. The clock is injected so tests can move time.
import { COHESIX_ROLES } from '../../contract/roles.ts';
import {
  type AssignRoleRequest,
  type ClusterStateResponse,
  type GpuTelemetry,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinRequest,
  type JoinResponse,
  type ScheduleRequest,
  type ScheduleResponse,
  type TrustUpdateRequest,
  type WorkerStatus,
} from '../../contract/orchestrator/orchestrator-types.ts';

export const TRUST_LEVELS = ['green', 'yellow', 'red'] as const;

/** A refusal with the gRPC status it maps to. */
export class StateError extends Error {
  override name = 'StateError';
  constructor(
    readonly kind: 'invalid' | 'not-found',
    message: string,
  ) {
    super(message);
  }
}

export interface ClusterOptions {
  queenId: string;
  timeoutSeconds: number;
  /** ms since the epoch; Date.now unless a test moves time */
  now?: () => number;
}

interface WorkerRecord {
  status: WorkerStatus;
  lastSeenMs: number;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ROLE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function requireId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new StateError(
      'invalid',
      `${field} must be 1-128 characters of [A-Za-z0-9._:-], got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function requireTrust(value: unknown): string {
  if (typeof value !== 'string' || !(TRUST_LEVELS as readonly string[]).includes(value)) {
    throw new StateError(
      'invalid',
      `trust level must be one of ${TRUST_LEVELS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function hasGpu(w: WorkerStatus): boolean {
  return (
    (w.gpu !== null && w.gpu.gpu_capacity > 0) ||
    w.capabilities.includes('cuda') ||
    w.capabilities.includes('gpu')
  );
}

function gpuLoadRatio(w: WorkerStatus): number {
  if (!w.gpu || w.gpu.gpu_capacity === 0) return 1;
  return w.gpu.current_load / w.gpu.gpu_capacity;
}

export class ClusterState {
  readonly queenId: string;
  readonly timeoutSeconds: number;
  readonly bootTimestamp: number;
  private readonly now: () => number;
  private readonly workers = new Map<string, WorkerRecord>();
  private roundRobin = 0;
  private version = 0;

  constructor(opts: ClusterOptions) {
    if (!Number.isInteger(opts.timeoutSeconds) || opts.timeoutSeconds < 1) {
      throw new Error(`timeoutSeconds must be a whole number >= 1, got ${opts.timeoutSeconds}`);
    }
    this.queenId = opts.queenId;
    this.timeoutSeconds = opts.timeoutSeconds;
    this.now = opts.now ?? Date.now;
    this.bootTimestamp = Math.floor(this.now() / 1000);
  }

  /** bumps on every visible change (join, leave, role, trust, telemetry) */
  get changeCount(): number {
    this.prune();
    return this.version;
  }

  /** Drop workers silent for longer than the timeout; returns how many left. */
  prune(): number {
    const cutoff = this.now() - this.timeoutSeconds * 1000;
    let dropped = 0;
    for (const [id, w] of this.workers) {
      if (w.lastSeenMs < cutoff) {
        this.workers.delete(id);
        dropped++;
      }
    }
    if (dropped) this.version++;
    return dropped;
  }

  join(req: JoinRequest): JoinResponse {
    this.prune();
    const workerId = requireId('worker_id', req.worker_id);
    if (!(COHESIX_ROLES as readonly string[]).includes(req.role)) {
      throw new StateError(
        'invalid',
        `role must be one of ${COHESIX_ROLES.join(', ')}, got ${JSON.stringify(req.role)}`,
      );
    }
    const trust = req.trust === '' ? 'green' : requireTrust(req.trust);
    const nowMs = this.now();
    this.workers.set(workerId, {
      lastSeenMs: nowMs,
      status: {
        worker_id: workerId,
        role: req.role,
        status: 'online',
        ip: typeof req.ip === 'string' ? req.ip : '',
        trust,
        boot_ts: Math.floor(nowMs / 1000),
        last_seen: Math.floor(nowMs / 1000),
        capabilities: [...(req.capabilities ?? [])],
        gpu: null,
      },
    });
    this.version++;
    return { queen_id: this.queenId, boot_timestamp: this.bootTimestamp };
  }

  heartbeat(req: HeartbeatRequest): HeartbeatResponse {
    this.prune();
    const w = this.get(req.worker_id);
    const nowMs = this.now();
    w.lastSeenMs = nowMs;
    w.status.last_seen = Math.floor(nowMs / 1000);
    if (req.status) w.status.status = req.status;
    if (req.gpu) w.status.gpu = { ...(req.gpu as GpuTelemetry) };
    this.version++;
    return { acknowledged: true, trust_level: w.status.trust };
  }

  assignRole(req: AssignRoleRequest): boolean {
    this.prune();
    const w = this.get(req.worker_id);
    if (typeof req.role !== 'string' || !ROLE_PATTERN.test(req.role)) {
      throw new StateError(
        'invalid',
        `role must be 1-64 characters of [A-Za-z0-9_-] starting with a letter, got ${JSON.stringify(req.role)}`,
      );
    }
    w.status.role = req.role;
    this.version++;
    return true;
  }

  updateTrust(req: TrustUpdateRequest): string {
    this.prune();
    const w = this.get(req.worker_id);
    w.status.trust = requireTrust(req.level);
    this.version++;
    return w.status.trust;
  }

  /** Place an agent: GPU work goes to the least-loaded GPU worker, other work round-robin; red-trust workers get nothing. */
  schedule(req: ScheduleRequest): ScheduleResponse {
    this.prune();
    requireId('agent_id', req.agent_id);
    const eligible = [...this.workers.values()].map((w) => w.status).filter((w) => w.trust !== 'red');
    if (req.require_gpu) {
      const gpuWorkers = eligible
        .filter(hasGpu)
        .sort((a, b) => gpuLoadRatio(a) - gpuLoadRatio(b) || a.worker_id.localeCompare(b.worker_id));
      const chosen = gpuWorkers[0];
      return {
        assigned: chosen !== undefined,
        worker_id: chosen?.worker_id ?? '',
        scheduling_policy: 'gpu-least-loaded',
      };
    }
    const sorted = eligible.sort((a, b) => a.worker_id.localeCompare(b.worker_id));
    if (sorted.length === 0) return { assigned: false, worker_id: '', scheduling_policy: 'round-robin' };
    const chosen = sorted[this.roundRobin++ % sorted.length]!;
    return { assigned: true, worker_id: chosen.worker_id, scheduling_policy: 'round-robin' };
  }

  snapshot(): ClusterStateResponse {
    this.prune();
    return {
      queen_id: this.queenId,
      generated_at: Math.floor(this.now() / 1000),
      timeout_seconds: this.timeoutSeconds,
      workers: [...this.workers.values()]
        .map((w) => structuredClone(w.status))
        .sort((a, b) => a.worker_id.localeCompare(b.worker_id)),
    };
  }

  private get(workerId: unknown): WorkerRecord {
    const id = requireId('worker_id', workerId);
    const w = this.workers.get(id);
    if (!w)
      throw new StateError('not-found', `worker ${id} is not joined (or timed out); it must Join again`);
    return w;
  }
}
