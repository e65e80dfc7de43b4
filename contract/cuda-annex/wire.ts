// The CUDA annex's wire, as both sides of a real system share it: the job a worker
// writes to the annex's /dispatch, the line it reads back, the contract's fallback
// reasons, the /telemetry record and what a worker reports per job. No behaviour:
// how a job is computed is each side's own code (reference/cuda-annex/job.ts for
// the reference's annex and CPU path, harness/cuda-annex/expected.ts for the checker).

export interface CudaJob {
  /** unique per job: [A-Za-z0-9._-]{1,64} */
  id: string;
  /** what the job computes over; one line, no newlines */
  input: string;
}

const JOB_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The line written to /dispatch: `run <id> <input>`. */
export function dispatchLine(job: CudaJob): string {
  if (!JOB_ID.test(job.id)) throw new Error(`job id ${JSON.stringify(job.id)} must match ${JOB_ID.source}`);
  if (/[\r\n]/.test(job.input)) throw new Error(`job ${job.id}: input must be one line`);
  return `run ${job.id} ${job.input}`;
}

/** Parse a /dispatch write; undefined when it is not `run <id> <input>`. */
export function parseDispatchLine(text: string): CudaJob | undefined {
  const m = /^run ([A-Za-z0-9._-]{1,64})(?: (.*))?\n?$/s.exec(text);
  if (!m || /[\r\n]/.test(m[2] ?? '')) return undefined;
  return { id: m[1]!, input: m[2] ?? '' };
}

/** What a read of /dispatch returns after a run: `<id> <result>`. */
export function resultLine(id: string, result: string): string {
  return `${id} ${result}\n`;
}

export function parseResultLine(text: string, id: string): string | undefined {
  const m = /^([A-Za-z0-9._-]{1,64}) ([0-9a-f]{16})\n?$/.exec(text);
  return m && m[1] === id ? m[2] : undefined;
}

/** The contract's fallback reasons (`{source: cuda, fallback: <reason>}`). */
export const FALLBACK_REASONS = [
  'missing_remote_endpoint',
  'unsupported_endpoint_scheme',
  'invalid_endpoint',
  'remote_dispatch_failed',
  'remote_connection_failed',
] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

/** The annex's /telemetry file: the contract's eight fields. */
export interface GpuTelemetryFile {
  cuda_present: boolean;
  driver_version: string;
  mem_total: number;
  mem_free: number;
  exec_time_ns: number;
  fallback_reason: string | null;
  temperature: number;
  gpu_utilization: number;
}

/** What a worker tells about one job. */
export interface JobOutcome {
  id: string;
  /** where the result came from */
  via: 'remote' | 'cpu';
  /** remote_dispatch on success, else the fallback reason */
  status: 'remote_dispatch' | FallbackReason;
  result: string;
  detail?: string;
  ms: number;
}

/** `{source: cuda, ...}`: remote_dispatch on success; `fallback: <reason>` then `fallback: cpu`. */
export type TelemetryEvent =
  | { ts: number; job: string; source: 'cuda'; event: 'remote_dispatch'; exec_time_ns: number }
  | { ts: number; job: string; source: 'cuda'; fallback: FallbackReason; detail: string }
  | { ts: number; job: string; source: 'cuda'; fallback: 'cpu'; result: string };

/** One completed job in a worker's ledger (each job exactly once). */
export interface LedgerEntry {
  job: string;
  via: 'remote' | 'cpu';
  result: string;
}
