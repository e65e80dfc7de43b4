// TypeScript shapes of the messages in orchestrator.proto, as @grpc/proto-loader
// decodes them (keepCase, 64-bit integers as numbers, defaults filled in).
export interface GpuTelemetry {
  perf_watt: number;
  mem_total: number;
  mem_free: number;
  last_temp: number;
  gpu_capacity: number;
  current_load: number;
  latency_score: number;
}

export interface JoinRequest {
  worker_id: string;
  ip: string;
  role: string;
  capabilities: string[];
  trust: string;
}
export interface JoinResponse {
  queen_id: string;
  boot_timestamp: number;
}

export interface HeartbeatRequest {
  worker_id: string;
  timestamp: number;
  status: string;
  gpu?: GpuTelemetry | null;
}
export interface HeartbeatResponse {
  acknowledged: boolean;
  trust_level: string;
}

export interface ScheduleRequest {
  agent_id: string;
  require_gpu: boolean;
}
export interface ScheduleResponse {
  assigned: boolean;
  worker_id: string;
  scheduling_policy: string;
}

export interface TrustUpdateRequest {
  worker_id: string;
  level: string;
}
export interface TrustUpdateResponse {
  level: string;
}

export interface AssignRoleRequest {
  worker_id: string;
  role: string;
}
export interface AssignRoleResponse {
  updated: boolean;
}

export interface WorkerStatus {
  worker_id: string;
  role: string;
  status: string;
  ip: string;
  trust: string;
  boot_ts: number;
  last_seen: number;
  capabilities: string[];
  gpu: GpuTelemetry | null;
}

export interface ClusterStateResponse {
  queen_id: string;
  generated_at: number;
  timeout_seconds: number;
  workers: WorkerStatus[];
}

/** The RPCs of cohesix.orchestrator.OrchestratorService, request → response. */
export interface OrchestratorRpcs {
  Join: [JoinRequest, JoinResponse];
  Heartbeat: [HeartbeatRequest, HeartbeatResponse];
  RequestSchedule: [ScheduleRequest, ScheduleResponse];
  AssignRole: [AssignRoleRequest, AssignRoleResponse];
  UpdateTrust: [TrustUpdateRequest, TrustUpdateResponse];
  GetClusterState: [Record<string, never>, ClusterStateResponse];
}
export type RpcName = keyof OrchestratorRpcs;
