// The work a CUDA job stands for, reduced to a small deterministic computation so
// the annex (the "GPU") and the worker's CPU path must agree on every result:
// the first 16 hex digits of sha256 over the job's input.
import { createHash } from 'node:crypto';

export interface CudaJob {
  /** unique per job: [A-Za-z0-9._-]{1,64} */
  id: string;
  /** what the job computes over; one line, no newlines */
  input: string;
}

const JOB_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function computeJob(input: string): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}

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
