// Token bucket rate limiting, one bucket per client key: `capacity` requests in a
// burst, refilled continuously at capacity per minute (60/min → 1 token a second).
export interface RateDecision {
  allowed: boolean;
  /** whole tokens left after this request */
  remaining: number;
  /** seconds until one token is back (only when refused) */
  retryAfterSeconds: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();
  private readonly refillPerMs: number;

  constructor(
    readonly capacity = 60,
    readonly perMinute = 60,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  take(client: string): RateDecision {
    const nowMs = this.now();
    const b = this.buckets.get(client) ?? { tokens: this.capacity, updatedMs: nowMs };
    b.tokens = Math.min(this.capacity, b.tokens + (nowMs - b.updatedMs) * this.refillPerMs);
    b.updatedMs = nowMs;
    this.buckets.set(client, b);
    this.forgetFullBuckets(nowMs);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.refillPerMs / 1000)),
    };
  }

  /** keep the map bounded: a bucket that has refilled completely carries no state */
  private forgetFullBuckets(nowMs: number): void {
    if (this.buckets.size < 1024) return;
    for (const [k, b] of this.buckets) {
      if (b.tokens + (nowMs - b.updatedMs) * this.refillPerMs >= this.capacity) this.buckets.delete(k);
    }
  }
}
