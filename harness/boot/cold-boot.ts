// Cold boots: start QEMU paused, release it, wait (bounded) for the boot
// stage and then for the remaining stages, build the timeline from the lines
// as they arrived, stop QEMU. Repeated N times for min / median / p95.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { QemuInstance } from '../qemu/instance.ts';
import type { QemuLaunchSpec } from '../qemu/profiles.ts';
import { WaitTimeoutError } from '../serial/line-capture.ts';
import { DEFAULT_FAULT_PATTERNS, scanFaults, type FaultHit } from './faults.ts';
import { median, summarize, type Statistic, type Summary } from '../results/stats.ts';
import { DEFAULT_STATISTIC, judgeBudget, type BudgetJudgment } from '../results/budget.ts';
import { buildTimeline, type BootTimeline, type TimelineConfig } from './timeline.ts';

export interface ColdBootOptions {
  launch: QemuLaunchSpec;
  label?: string;
  stateRoot?: string;
  timeline: TimelineConfig;
  /** bound on waiting for the boot stage, ms since cont */
  timeoutMs: number;
  /** bound on waiting for the stages after the boot stage */
  settleMs?: number;
  faultPatterns?: readonly RegExp[];
  signal?: AbortSignal;
}

export interface ColdBootRun {
  timeline: BootTimeline;
  faults: FaultHit[];
  /** why the boot stage was not reached (timeout with last lines, or QEMU exit) */
  error?: string;
  serialTail: string[];
}

export async function coldBoot(opts: ColdBootOptions): Promise<ColdBootRun> {
  const inst = await QemuInstance.start({
    ...opts.launch,
    label: opts.label ?? 'cold-boot',
    stateRoot: opts.stateRoot,
    signal: opts.signal,
  });
  let error: string | undefined;
  try {
    const boot = opts.timeline.stages.find((s) => s.name === opts.timeline.bootStage);
    if (!boot) throw new Error(`boot stage "${opts.timeline.bootStage}" is not configured`);
    const waitRe = (p: string | RegExp): RegExp => (typeof p === 'string' ? new RegExp(p) : p);
    try {
      await inst.serial.waitFor(waitRe(boot.pattern), {
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        what: `boot stage "${boot.name}" (${String(boot.pattern)})`,
      });
      const last = opts.timeline.stages[opts.timeline.stages.length - 1];
      if (last && last !== boot) {
        await inst.serial
          .waitFor(waitRe(last.pattern), {
            timeoutMs: opts.settleMs ?? 1000,
            signal: opts.signal,
            what: `last stage "${last.name}"`,
          })
          .catch(() => undefined); // a missing later stage shows in the timeline, not as an error here
      }
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
      error =
        e.message + (inst.hasExited && inst.stderr ? `\nqemu stderr: ${inst.stderr.trim().slice(-500)}` : '');
    }
  } finally {
    await inst.stop();
  }
  const lines = inst.serial.all();
  const timeline = buildTimeline(
    lines,
    {
      spawn: inst.times.spawn,
      qmpReady: inst.times.qmpReady,
      cont: inst.times.cont ?? inst.times.qmpReady,
      firstByte: inst.serial.firstByteAt,
    },
    opts.timeline,
  );
  return {
    timeline,
    faults: scanFaults(lines, opts.faultPatterns ?? DEFAULT_FAULT_PATTERNS),
    error,
    serialTail: inst.serial.lastLines(40),
  };
}

export interface BootReport {
  schemaVersion: 1;
  image?: { path: string; sha256?: string };
  qemu: { binary: string; profile: string; deterministic: boolean };
  bootStage: string;
  statistic: Statistic;
  budgetMs: number;
  stats: Summary | null;
  guestStats: Summary | null;
  judgedMs: number | null;
  withinBudget: boolean;
  allReached: boolean;
  /** per stage, the median host ms over the runs that saw it (drawn as a timeline chart) */
  stages: Array<{ name: string; hostMs: number; guestMs?: number; budgetMs?: number; seenIn: number }>;
  runs: Array<BootTimeline & { faults: FaultHit[]; error?: string }>;
}

export async function coldBoots(
  n: number,
  opts: ColdBootOptions & { statistic?: Statistic; stopOnFailure?: boolean },
): Promise<{ report: BootReport; runs: ColdBootRun[] }> {
  const runs: ColdBootRun[] = [];
  for (let i = 0; i < n; i++) {
    if (opts.signal?.aborted) break;
    const r = await coldBoot({ ...opts, label: `${opts.label ?? 'cold-boot'}-${i + 1}` });
    runs.push(r);
    if (r.error && opts.stopOnFailure !== false) break; // a hang repeats: do not wait N timeouts
  }
  return { report: bootReport(runs, opts), runs };
}

export function bootReport(
  runs: ColdBootRun[],
  opts: ColdBootOptions & { statistic?: Statistic },
): BootReport {
  const statistic = opts.statistic ?? DEFAULT_STATISTIC;
  const reached = runs.filter((r) => r.timeline.bootMs !== undefined);
  const host = reached.map((r) => r.timeline.bootMs!);
  const guest = reached.map((r) => r.timeline.bootGuestMs).filter((v): v is number => v !== undefined);
  const stats = host.length ? summarize(host) : null;
  const allReached = runs.length > 0 && reached.length === runs.length;
  // a boot that never reached the stage has no time: judging only the others would flatter the image
  const judged = judgeBudget(allReached ? host : [], opts.timeline.budgetMs, statistic);
  const image = opts.launch.image;
  return {
    schemaVersion: 1,
    image: image
      ? {
          path: image,
          sha256: existsSync(image)
            ? createHash('sha256').update(readFileSync(image)).digest('hex')
            : undefined,
        }
      : undefined,
    qemu: {
      binary: opts.launch.binary ?? 'qemu-system-aarch64',
      profile: opts.launch.profile,
      deterministic: Boolean(opts.launch.deterministic),
    },
    bootStage: opts.timeline.bootStage,
    statistic,
    budgetMs: judged.budgetMs,
    stats,
    guestStats: guest.length ? summarize(guest) : null,
    judgedMs: judged.valueMs,
    withinBudget: judged.withinBudget,
    allReached,
    stages: opts.timeline.stages.flatMap((spec) => {
      const seen = runs
        .map((r) => r.timeline.stages.find((s) => s.name === spec.name))
        .filter((s) => s?.seen);
      if (!seen.length) return [];
      const g = seen.map((s) => s!.guestMs).filter((v): v is number => v !== undefined);
      return [
        {
          name: spec.name,
          hostMs: median(seen.map((s) => s!.hostMs!)),
          guestMs: g.length ? median(g) : undefined,
          budgetMs: spec.name === opts.timeline.bootStage ? opts.timeline.budgetMs : spec.budgetMs,
          seenIn: seen.length,
        },
      ];
    }),
    runs: runs.map((r) => ({ ...r.timeline, faults: r.faults, error: r.error })),
  };
}

/** the report's judgment as the budget module states it (for its sentence) */
export function judgmentOf(r: BootReport): BudgetJudgment {
  return {
    statistic: r.statistic,
    valueMs: r.judgedMs,
    budgetMs: r.budgetMs,
    n: r.allReached ? (r.stats?.n ?? 0) : 0,
    withinBudget: r.withinBudget,
  };
}
