// The node lifecycle as upstream's root task defines it (states in
// /proc/lifecycle/state, commands on /queen/lifecycle/ctl). The client checks a
// transition locally before sending it, as upstream's cohsh does; the reference
// console enforces the same table.
export const LIFECYCLE_COMMANDS = ['cordon', 'drain', 'resume', 'quiesce', 'reset'] as const;
export type LifecycleCommand = (typeof LIFECYCLE_COMMANDS)[number];
export type LifecycleState = 'BOOTING' | 'DEGRADED' | 'ONLINE' | 'DRAINING' | 'QUIESCED' | 'OFFLINE';

const TARGET: Record<LifecycleCommand, LifecycleState> = {
  cordon: 'DRAINING',
  drain: 'QUIESCED',
  resume: 'ONLINE',
  quiesce: 'QUIESCED',
  reset: 'BOOTING',
};

const ALLOWED_FROM: Record<LifecycleCommand, (s: string) => boolean> = {
  cordon: (s) => s === 'ONLINE' || s === 'DEGRADED',
  drain: (s) => s === 'DRAINING',
  resume: (s) => s !== 'ONLINE',
  quiesce: (s) => s === 'ONLINE' || s === 'DEGRADED' || s === 'DRAINING',
  reset: (s) => s !== 'BOOTING',
};

export function isLifecycleCommand(s: string): s is LifecycleCommand {
  return (LIFECYCLE_COMMANDS as readonly string[]).includes(s);
}

/** the state `cmd` leads to from `from`, or null when the transition is invalid */
export function lifecycleTransition(from: string, cmd: LifecycleCommand): LifecycleState | null {
  const to = TARGET[cmd];
  return to !== from && ALLOWED_FROM[cmd](from) ? to : null;
}
