// A scripted session of agent actions, as the reference target performs them:
// what its recorder writes to /log/trace/ and what its snapshots hold. The
// script is fixed so that two runs differ only where a deviation is seeded.
import type { RecordedEvent } from './recorder.ts';

const SCRIPT: Array<Omit<RecordedEvent, 'ts'>> = [
  { agent: 'queen_primary', event: 'spawn', detail: 'drone_worker id=w1', ok: true },
  { agent: 'queen_primary', event: 'cap_grant', detail: 'drone_worker write:/srv/telemetry', ok: true },
  { agent: 'drone_worker', event: 'exec', detail: '/bin/telemetry-agent', ok: true },
  { agent: 'drone_worker', event: 'read', detail: '/sim/data/frame-0001', ok: true },
  { agent: 'drone_worker', event: 'write', detail: '/srv/telemetry/w1', ok: true },
  { agent: 'drone_worker', event: 'write', detail: '/srv/queen/ctl', ok: false },
  { agent: 'queen_primary', event: 'spawn', detail: 'glasses_agent id=g1', ok: true },
  { agent: 'queen_primary', event: 'cap_grant', detail: 'glasses_agent write:/srv/cuda', ok: true },
  { agent: 'glasses_agent', event: 'read', detail: '/input/cam/0', ok: true },
  { agent: 'glasses_agent', event: 'write', detail: '/srv/cuda/dispatch', ok: true },
  { agent: 'simulator_test', event: 'read', detail: '/sim/data/scenario.json', ok: true },
  { agent: 'simulator_test', event: 'write', detail: '/srv/testlog/run-1', ok: true },
  { agent: 'queen_primary', event: 'replay', detail: '/history/snapshots/baseline', ok: true },
];

/** The events of one session starting at `t0` (ms since the epoch), one per ms. */
export function sessionEvents(t0: number): RecordedEvent[] {
  return SCRIPT.map((e, i) => ({ ts: t0 + i, ...e }));
}

/** The deviation seeded into the "current" snapshot: the glasses agent's cap grant now fails. */
export const SEEDED_DEVIATION = { index: 7, field: 'ok', from: true, to: false } as const;

export function withSeededDeviation(events: RecordedEvent[]): RecordedEvent[] {
  return events.map((e, i) => (i === SEEDED_DEVIATION.index ? { ...e, ok: SEEDED_DEVIATION.to } : e));
}
