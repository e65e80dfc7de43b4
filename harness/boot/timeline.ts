// The boot timeline: stages found by marker regexes in the captured serial
// lines, with host times relative to t0 (QMP `cont`) and the guest's own
// clock when the line carries a stamp, judged against per-stage budgets and a
// total budget for the stage that ends "boot" (configuration, not code).
import type { SerialLine } from '../serial/line-capture.ts';
import { withinBudget } from '../results/budget.ts';

/** the contract's budget to the boot stage, ms since QMP cont: the one place the default is written */
export const DEFAULT_BOOT_BUDGET_MS = 200;

export interface StageSpec {
  name: string;
  /** regex source or RegExp matched against each serial line */
  pattern: string | RegExp;
  /** budget for this stage, ms since t0 */
  budgetMs?: number;
}

export interface TimelineConfig {
  stages: StageSpec[];
  /** name of the stage that ends boot; its time is judged against budgetMs */
  bootStage: string;
  /** budget to the boot stage, ms since t0 (config boot.budgetMs) */
  budgetMs: number;
  /** extracts the guest clock from a line: group 1 seconds, group 2 fraction */
  guestClock?: RegExp;
}

export const DEFAULT_STAGES: StageSpec[] = [
  { name: 'rootserver', pattern: 'ROOTSERVER ONLINE' },
  { name: 'boot_ok', pattern: 'COHESIX_BOOT_OK' },
  { name: 'init', pattern: 'Cohesix init complete' },
  { name: 'shell', pattern: 'Cohesix shell started' },
];

export const DEFAULT_GUEST_CLOCK = /^\[\s*(\d+)\.(\d+)\]/;

export function defaultTimelineConfig(): TimelineConfig {
  return {
    stages: DEFAULT_STAGES.map((s) => ({ ...s })),
    bootStage: 'boot_ok',
    budgetMs: DEFAULT_BOOT_BUDGET_MS,
    guestClock: DEFAULT_GUEST_CLOCK,
  };
}

export interface HostTimes {
  spawn: number;
  qmpReady: number;
  cont: number;
  firstByte?: number;
}

export interface StageTiming {
  name: string;
  pattern: string;
  seen: boolean;
  lineIndex?: number;
  line?: string;
  /** ms since t0 (cont) at arrival of the marker line */
  hostMs?: number;
  /** ms since the process was spawned */
  sinceSpawnMs?: number;
  /** ms since the previous seen stage (host) */
  deltaMs?: number;
  /** guest clock at the marker, ms, when the line carries a stamp */
  guestMs?: number;
  budgetMs?: number;
  withinBudget?: boolean;
}

export interface BootTimeline {
  t0: 'qmp-cont';
  host: { spawnMs: number; qmpReadyMs: number; contMs: 0; firstByteMs?: number };
  stages: StageTiming[];
  bootStage: string;
  /** host ms since t0 to the boot stage; undefined when it never appeared */
  bootMs?: number;
  bootGuestMs?: number;
  budgetMs: number;
  withinBudget: boolean;
  inOrder: boolean;
  orderViolations: string[];
}

function toRegex(p: string | RegExp): RegExp {
  return typeof p === 'string' ? new RegExp(p) : p;
}

export function guestMsOf(text: string, clock: RegExp = DEFAULT_GUEST_CLOCK): number | undefined {
  const m = clock.exec(text);
  if (!m) return undefined;
  const secs = Number(m[1]);
  const frac = m[2] ?? '0';
  return secs * 1000 + Number(`0.${frac}`) * 1000;
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;

export function buildTimeline(
  lines: readonly SerialLine[],
  times: HostTimes,
  cfg: TimelineConfig,
): BootTimeline {
  const t0 = times.cont;
  const stages: StageTiming[] = cfg.stages.map((spec) => {
    const re = toRegex(spec.pattern);
    const line = lines.find((l) => re.test(l.text));
    const st: StageTiming = {
      name: spec.name,
      pattern: re.source,
      seen: Boolean(line),
      budgetMs: spec.budgetMs,
    };
    if (line) {
      st.lineIndex = line.index;
      st.line = line.text.slice(0, 200);
      st.hostMs = r3(line.t - t0);
      st.sinceSpawnMs = r3(line.t - times.spawn);
      const g = guestMsOf(line.text, cfg.guestClock);
      if (g !== undefined) st.guestMs = r3(g);
    }
    if (spec.budgetMs !== undefined) st.withinBudget = withinBudget(st.hostMs, spec.budgetMs);
    return st;
  });
  // deltas in order of appearance
  const seen = stages.filter((s) => s.seen).sort((a, b) => a.lineIndex! - b.lineIndex!);
  let prev = 0;
  for (const s of seen) {
    s.deltaMs = r3(s.hostMs! - prev);
    prev = s.hostMs!;
  }
  const orderViolations: string[] = [];
  let last: StageTiming | undefined;
  for (const s of stages) {
    if (!s.seen) continue;
    if (last && s.lineIndex! < last.lineIndex!) {
      orderViolations.push(
        `"${s.name}" (line ${s.lineIndex}) appeared before "${last.name}" (line ${last.lineIndex}), which the configured order puts first`,
      );
    }
    if (!last || s.lineIndex! > last.lineIndex!) last = s;
  }
  const boot = stages.find((s) => s.name === cfg.bootStage);
  if (!boot)
    throw new Error(
      `boot stage "${cfg.bootStage}" is not among the configured stages (${cfg.stages.map((s) => s.name).join(', ')})`,
    );
  const stageBudgetsOk = stages.every((s) => s.withinBudget !== false);
  return {
    t0: 'qmp-cont',
    host: {
      spawnMs: r3(times.spawn - t0),
      qmpReadyMs: r3(times.qmpReady - t0),
      contMs: 0,
      firstByteMs: times.firstByte !== undefined ? r3(times.firstByte - t0) : undefined,
    },
    stages,
    bootStage: cfg.bootStage,
    bootMs: boot.hostMs,
    bootGuestMs: boot.guestMs,
    budgetMs: cfg.budgetMs,
    withinBudget: withinBudget(boot.hostMs, cfg.budgetMs) && stageBudgetsOk,
    inOrder: orderViolations.length === 0,
    orderViolations,
  };
}

/** a readable table of one timeline, for the CLI and evidence */
export function formatTimeline(t: BootTimeline): string {
  const rows = [
    ['stage', 'host ms', 'Δ ms', 'since spawn', 'guest ms', 'budget', ''],
    ['spawn', t.host.spawnMs.toFixed(1), '', '0.0', '', '', ''],
    [
      'qmp ready',
      t.host.qmpReadyMs.toFixed(1),
      '',
      (t.host.qmpReadyMs - t.host.spawnMs).toFixed(1),
      '',
      '',
      '',
    ],
    ['cont (t0)', '0.0', '', (-t.host.spawnMs).toFixed(1), '', '', ''],
  ];
  if (t.host.firstByteMs !== undefined)
    rows.push([
      'first byte',
      t.host.firstByteMs.toFixed(1),
      '',
      (t.host.firstByteMs - t.host.spawnMs).toFixed(1),
      '',
      '',
      '',
    ]);
  for (const s of t.stages) {
    const mark =
      s.name === t.bootStage
        ? s.seen && withinBudget(t.bootMs, t.budgetMs)
          ? 'boot ✓'
          : 'boot ✗'
        : s.withinBudget === false
          ? '✗'
          : '';
    rows.push([
      s.name,
      s.seen ? s.hostMs!.toFixed(1) : 'not seen',
      s.deltaMs !== undefined ? s.deltaMs.toFixed(1) : '',
      s.sinceSpawnMs !== undefined ? s.sinceSpawnMs.toFixed(1) : '',
      s.guestMs !== undefined ? s.guestMs.toFixed(3) : '',
      s.name === t.bootStage ? `≤${t.budgetMs}` : s.budgetMs !== undefined ? `≤${s.budgetMs}` : '',
      mark,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const out = rows.map((r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  if (!t.inOrder) out.push(`markers out of order: ${t.orderViolations.join('; ')}`);
  return out.join('\n');
}
