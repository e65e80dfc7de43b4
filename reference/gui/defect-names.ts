// The GUI's defect modes (see defects.ts for what each reproduces).
export const GUI_DEFECT_NAMES = [
  'gui-static-status',
  'gui-noop-control',
  'gui-no-auth',
  'gui-auth-control-only',
  'gui-global-rate-limit',
  'gui-metrics-json',
  'gui-access-log-path',
] as const;
export type GuiDefectName = (typeof GUI_DEFECT_NAMES)[number];

/** The hard-coded payload upstream served from /api/status (workers: 3). */
export function staticStatusPayload(): Record<string, unknown> {
  const worker = (n: number) => ({
    worker_id: `worker-${n}`,
    role: 'DroneWorker',
    status: 'online',
    ip: `10.0.0.${n}`,
    trust: 'green',
    boot_ts: 1_700_000_000,
    last_seen: 1_700_000_000,
    capabilities: [],
    gpu: null,
  });
  return {
    uptime: 3600,
    status: 'ok',
    role: 'QueenPrimary',
    queen_id: 'queen-primary',
    workers: 3,
    generated_at: 1_700_000_000,
    timeout_seconds: 30,
    worker_statuses: [worker(1), worker(2), worker(3)],
  };
}
