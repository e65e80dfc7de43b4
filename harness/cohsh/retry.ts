// Upstream cohsh's reconnect policy, as one constant every console user shares
// (the driver, the `.coh` runner): the console serves one session at a time and
// resets a new connection while it re-arms, so a client that gives up on the
// first reset reports a false failure. Back-off 200 ms, doubling, capped at 2 s;
// a bounded number of connections and a bound on the whole sequence.

export interface RetryPolicy {
  /** connections tried at most (1 = the old give-up-at-once behaviour) */
  attempts: number;
  /** the first back-off */
  firstMs: number;
  /** the back-off never grows past this */
  capMs: number;
  /** no new attempt starts after this many ms from the first one */
  totalMs: number;
}

export const UPSTREAM_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 8,
  firstMs: 200,
  capMs: 2000,
  totalMs: 10_000,
});

/** the pause after failed attempt `attempt` (1-based): 200, 400, 800, 1600, 2000, 2000, … */
export function backoffMs(attempt: number, p: Readonly<RetryPolicy> = UPSTREAM_RETRY): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(p.capMs, p.firstMs * 2 ** Math.min(n - 1, 30));
}

/** socket error codes that mean "the console is busy or re-arming": worth another attempt */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

export function isRetryableCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE.has(code);
}

/** One connect-and-AUTH sequence's share of the policy: attempts used and the deadline. */
export class RetryBudget {
  used = 0;
  readonly deadline: number;

  constructor(
    readonly policy: Readonly<RetryPolicy>,
    now: number,
  ) {
    this.deadline = now + policy.totalMs;
  }

  /** the pause before the next attempt, or null when the attempts or the time are spent */
  next(now: number): number | null {
    if (this.used >= this.policy.attempts) return null;
    const wait = backoffMs(this.used, this.policy);
    return now + wait > this.deadline ? null : wait;
  }

  describe(): string {
    return `${this.used} of at most ${this.policy.attempts} attempts, ${this.policy.totalMs} ms bound`;
  }
}
