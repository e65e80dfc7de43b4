// The checker's own expectation of a CUDA job's result, written from the contract's
// definition (the first 16 hex digits of SHA-256 over the job's input), not taken
// from the reference annex: a bug in the reference's computation must fail the
// suite, not pass it on both sides.
import { hash } from 'node:crypto';

export function expectedJobResult(input: string): string {
  return hash('sha256', Buffer.from(input, 'utf8'), 'hex').substring(0, 16);
}
