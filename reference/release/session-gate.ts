// Who may open a console session now, as a release decides it: one session at
// a time; after a session is dropped without `quit` the console re-arms for a
// while and resets new connections meanwhile (measured on a release: reset at
// once, accepted 100 ms later); after `quit` or a wrong-token close it is
// ready at once. The auth limiter is the documented lockout: N failed AUTHs
// within a window start a cooldown that surfaces `RateLimited`.

export interface GateOptions {
  /** one session at a time (the release's behaviour); false serves any number */
  singleSession: boolean;
  /** how long new connections are reset after a session was dropped without quit */
  rearmMs: number;
}

export type SessionEnd = 'quit' | 'drop' | 'wrong-token';

export class SessionGate {
  private active?: object;
  private rearmUntil = 0;

  constructor(private readonly o: GateOptions) {}

  /** why an AUTH on `conn` must be answered by a reset now, or null when it may proceed */
  refusal(conn: object, now: number): string | null {
    if (!this.o.singleSession) return null;
    if (this.active && this.active !== conn) return 'another session is open';
    if (now < this.rearmUntil) return 're-arming after a dropped session';
    return null;
  }

  opened(conn: object): void {
    this.active = conn;
  }

  ended(conn: object, how: SessionEnd, now: number): void {
    if (this.active !== conn) return;
    this.active = undefined;
    if (how === 'drop') this.rearmUntil = now + this.o.rearmMs;
  }
}

export interface LimiterOptions {
  failureLimit: number;
  failureWindowMs: number;
  cooldownMs: number;
  /** the console-no-cooldown defect: failures are never counted */
  disabled?: boolean;
}

export class AuthLimiter {
  private failures: number[] = [];
  private cooldownUntil = 0;

  constructor(private readonly o: LimiterOptions) {}

  inCooldown(now: number): boolean {
    return now < this.cooldownUntil;
  }

  recordFailure(now: number): void {
    if (this.o.disabled) return;
    this.failures = this.failures.filter((t) => now - t < this.o.failureWindowMs);
    this.failures.push(now);
    if (this.failures.length >= this.o.failureLimit) {
      this.cooldownUntil = now + this.o.cooldownMs;
      this.failures = [];
    }
  }
}
