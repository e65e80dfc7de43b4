// The node lifecycle the reference console keeps, as releases document it:
// /proc/lifecycle/{state,reason,since} read it, `ECHO /queen/lifecycle/ctl <cmd>`
// drives it. The transition table is the reference's own, written from the
// documented command meanings; upstream's client checks a transition locally
// before sending, and the console refuses an invalid one again.

export const LIFECYCLE_STATES = ['BOOTING', 'DEGRADED', 'ONLINE', 'DRAINING', 'QUIESCED', 'OFFLINE'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export const LIFECYCLE_COMMANDS = ['cordon', 'drain', 'resume', 'quiesce', 'reset'] as const;
export type LifecycleCommand = (typeof LIFECYCLE_COMMANDS)[number];

const except = (s: LifecycleState): LifecycleState[] => LIFECYCLE_STATES.filter((x) => x !== s);

/** each command: the states it may start from, and where it leads */
export const TRANSITIONS: Readonly<
  Record<LifecycleCommand, { from: readonly LifecycleState[]; to: LifecycleState }>
> = {
  cordon: { from: ['ONLINE', 'DEGRADED'], to: 'DRAINING' }, // no new work; ingest continues
  drain: { from: ['DRAINING'], to: 'QUIESCED' }, // work drained: safe to power off
  resume: { from: except('ONLINE'), to: 'ONLINE' },
  quiesce: { from: ['ONLINE', 'DEGRADED', 'DRAINING'], to: 'QUIESCED' },
  reset: { from: except('BOOTING'), to: 'BOOTING' },
};

export type TransitionOutcome =
  | { ok: true; from: LifecycleState; to: LifecycleState }
  | { ok: false; reason: 'parse' | 'invalid-transition'; detail: string; error: string };

export function isLifecycleCommand(s: string): s is LifecycleCommand {
  return (LIFECYCLE_COMMANDS as readonly string[]).includes(s);
}

export function checkTransition(state: LifecycleState, command: string): TransitionOutcome {
  const cmd = command.trim();
  if (!isLifecycleCommand(cmd))
    return {
      ok: false,
      reason: 'parse',
      detail: 'unknown-command',
      error: `expected one of ${LIFECYCLE_COMMANDS.join('|')}`,
    };
  const t = TRANSITIONS[cmd];
  if (!t.from.includes(state))
    return { ok: false, reason: 'invalid-transition', detail: cmd, error: `cannot ${cmd} from ${state}` };
  return { ok: true, from: state, to: t.to };
}

export class Lifecycle {
  state: LifecycleState = 'ONLINE';
  reason = 'boot-complete';
  private since = Date.now();

  constructor(private readonly startedAt = Date.now()) {}

  /**
   * Apply a control command. `acceptInvalid` is the lifecycle-accepts-invalid
   * defect: an invalid transition is acknowledged (and the state left as it was).
   */
  apply(command: string, acceptInvalid = false): TransitionOutcome {
    const r = checkTransition(this.state, command);
    if (!r.ok) {
      if (acceptInvalid && r.reason === 'invalid-transition')
        return { ok: true, from: this.state, to: this.state };
      return r;
    }
    this.state = r.to;
    this.reason = `ctl-${command.trim()}`;
    this.since = Date.now();
    return r;
  }

  stateLines(): string[] {
    return [`state=${this.state}`];
  }
  reasonLines(): string[] {
    return [`reason=${this.reason}`];
  }
  sinceLines(): string[] {
    return [`since_ms=${this.since - this.startedAt}`];
  }
}
