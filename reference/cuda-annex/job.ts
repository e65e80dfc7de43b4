// The work a CUDA job stands for, reduced to a small deterministic computation so
// the annex (the "GPU") and the worker's CPU path must agree on every result:
// the first 16 hex digits of sha256 over the job's input. The reference's own
// code; the checker computes its expectations independently.
import { createHash } from 'node:crypto';

export function computeJob(input: string): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}
