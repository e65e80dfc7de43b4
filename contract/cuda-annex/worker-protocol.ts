// The JSON-lines protocol between the suite and a CUDA worker process (a user's
// worker named in config, or reference/cuda-annex/worker-cli.ts). One JSON object
// a line on stdio; requests on the worker's stdin, messages on its stdout; stderr
// is free-form log. docs/decisions/cuda-annex.md describes it for implementers.
// Parsing is strict: anything that is not one of these messages is a protocol
// error naming the line, never a crash.
import { FALLBACK_REASONS, type FallbackReason, type GpuTelemetryFile, type TelemetryEvent } from './wire.ts';

export const WORKER_PROTOCOL_VERSION = 1;

/** Environment the harness gives a worker process (besides the config's own `env`). */
export const WORKER_ENV = {
  /** path of the file standing for the worker's /srv/cuda; re-read at every job */
  srvCuda: 'COHESIX_SRV_CUDA',
  /** bound on one remote attempt, connect included, in ms */
  boundMs: 'COHESIX_CUDA_BOUND_MS',
  /** the contract's control-plane env, for workers that heartbeat */
  orchAddr: 'COHESIX_ORCH_ADDR',
  orchCaCert: 'COHESIX_ORCH_CA_CERT',
  orchClientCert: 'COHESIX_ORCH_CLIENT_CERT',
  orchClientKey: 'COHESIX_ORCH_CLIENT_KEY',
  orchServerName: 'COHESIX_ORCH_SERVER_NAME',
  workerId: 'COHESIX_WORKER_ID',
  workerRole: 'COHESIX_WORKER_ROLE',
} as const;

export type WorkerRequest =
  | { op: 'run'; job: { id: string; input: string } }
  | { op: 'heartbeat-start'; intervalMs: number }
  | { op: 'heartbeat-stop' };

/** the contract's GPU telemetry fields (what the annex's /telemetry holds) */
export type GpuTelemetryRecord = GpuTelemetryFile;

/** `{source: cuda, ...}`: remote_dispatch on success; `fallback: <reason>` then `fallback: cpu` */
export type WorkerTelemetryEvent = TelemetryEvent;

export interface HeartbeatReport {
  beats: number;
  failures: number;
  /** ms since the epoch of the last acknowledged beat (0 = none yet) */
  lastAckAt: number;
  lastStatus: string;
  lastError?: string;
}

export type WorkerMessage =
  | { type: 'hello'; protocol: number; worker: string; heartbeat: boolean }
  | {
      type: 'outcome';
      id: string;
      via: 'remote' | 'cpu';
      status: 'remote_dispatch' | FallbackReason;
      result: string;
      detail?: string;
    }
  | { type: 'telemetry'; event: WorkerTelemetryEvent }
  | { type: 'ledger'; job: string; via: 'remote' | 'cpu'; result: string }
  | { type: 'gpu'; telemetry: GpuTelemetryRecord }
  | ({ type: 'heartbeat' } & HeartbeatReport)
  | { type: 'error'; id?: string; message: string };

export function encodeRequest(r: WorkerRequest): string {
  return JSON.stringify(r) + '\n';
}

export function encodeMessage(m: WorkerMessage): string {
  return JSON.stringify(m) + '\n';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string) => typeof o[k] === 'string';
const num = (o: Obj, k: string) => typeof o[k] === 'number' && Number.isFinite(o[k]);
const via = (o: Obj) => o['via'] === 'remote' || o['via'] === 'cpu';
const reasons: readonly string[] = FALLBACK_REASONS;

function checkTelemetryEvent(e: unknown): string | undefined {
  if (!isObj(e)) return 'event must be an object';
  if (e['source'] !== 'cuda') return 'event.source must be "cuda"';
  if (!str(e, 'job') || !num(e, 'ts')) return 'event needs job (string) and ts (number)';
  if (e['event'] === 'remote_dispatch') return num(e, 'exec_time_ns') ? undefined : 'exec_time_ns missing';
  if (e['fallback'] === 'cpu') return str(e, 'result') ? undefined : 'fallback cpu event needs result';
  if (typeof e['fallback'] === 'string' && reasons.includes(e['fallback']))
    return str(e, 'detail') ? undefined : 'fallback event needs detail';
  return `event is neither remote_dispatch nor a fallback of ${[...reasons, 'cpu'].join('|')}`;
}

const GPU_FIELDS: Array<[string, 'number' | 'string' | 'boolean']> = [
  ['cuda_present', 'boolean'],
  ['driver_version', 'string'],
  ['mem_total', 'number'],
  ['mem_free', 'number'],
  ['exec_time_ns', 'number'],
  ['temperature', 'number'],
  ['gpu_utilization', 'number'],
];

function checkGpu(t: unknown): string | undefined {
  if (!isObj(t)) return 'telemetry must be an object';
  for (const [k, type] of GPU_FIELDS) if (typeof t[k] !== type) return `telemetry.${k} must be a ${type}`;
  if (t['fallback_reason'] !== null && typeof t['fallback_reason'] !== 'string')
    return 'telemetry.fallback_reason must be a string or null';
  return undefined;
}

/** Why a message of a known type is malformed, or undefined when it is well formed. */
function checkMessage(m: Obj): string | undefined {
  switch (m['type']) {
    case 'hello':
      return num(m, 'protocol') && str(m, 'worker') && typeof m['heartbeat'] === 'boolean'
        ? undefined
        : 'hello needs protocol (number), worker (string), heartbeat (boolean)';
    case 'outcome':
      if (!str(m, 'id') || !via(m) || !str(m, 'result')) return 'outcome needs id, via (remote|cpu), result';
      if (m['status'] !== 'remote_dispatch' && !reasons.includes(String(m['status'])))
        return `outcome.status must be remote_dispatch or one of ${reasons.join('|')}`;
      return m['detail'] === undefined || str(m, 'detail') ? undefined : 'outcome.detail must be a string';
    case 'telemetry':
      return checkTelemetryEvent(m['event']);
    case 'ledger':
      return str(m, 'job') && via(m) && str(m, 'result') ? undefined : 'ledger needs job, via, result';
    case 'gpu':
      return checkGpu(m['telemetry']);
    case 'heartbeat':
      return num(m, 'beats') && num(m, 'failures') && num(m, 'lastAckAt') && str(m, 'lastStatus')
        ? undefined
        : 'heartbeat needs beats, failures, lastAckAt (numbers) and lastStatus (string)';
    case 'error':
      return str(m, 'message') ? undefined : 'error needs message';
    default:
      return `unknown type ${JSON.stringify(m['type'])} (expected hello|outcome|telemetry|ledger|gpu|heartbeat|error)`;
  }
}

export type ParsedLine = { ok: true; message: WorkerMessage } | { ok: false; why: string };

/** Parse one stdout line of a worker. */
export function parseWorkerLine(line: string): ParsedLine {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  if (!isObj(v)) return { ok: false, why: 'not a JSON object' };
  const why = checkMessage(v);
  return why === undefined ? { ok: true, message: v as unknown as WorkerMessage } : { ok: false, why };
}

/** Parse one stdin line of the harness (the worker side). */
export function parseWorkerRequest(line: string): WorkerRequest | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { error: 'request is not JSON' };
  }
  if (!isObj(v)) return { error: 'request is not a JSON object' };
  if (v['op'] === 'run') {
    const job = v['job'];
    if (isObj(job) && str(job, 'id') && str(job, 'input'))
      return { op: 'run', job: { id: job['id'] as string, input: job['input'] as string } };
    return { error: 'run needs job {id, input}' };
  }
  if (v['op'] === 'heartbeat-start')
    return num(v, 'intervalMs') && (v['intervalMs'] as number) > 0
      ? { op: 'heartbeat-start', intervalMs: v['intervalMs'] as number }
      : { error: 'heartbeat-start needs intervalMs > 0' };
  if (v['op'] === 'heartbeat-stop') return { op: 'heartbeat-stop' };
  return { error: `unknown op ${JSON.stringify(v['op'])} (expected run|heartbeat-start|heartbeat-stop)` };
}
