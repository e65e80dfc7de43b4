// The booted target the boot suite's cases share: booted once per run in the
// main process (QEMU or a lab board), its boot captured with arrival times,
// its on-target TAP parsed while it streams, then the serial line handed over
// to TCP so a console session in a worker can connect. Everything the cases
// judge travels as plain JSON in the target's `boot` resources.
import { performance } from 'node:perf_hooks';
import { QemuInstance } from '../qemu/instance.ts';
import type { QemuLaunchSpec } from '../qemu/profiles.ts';
import { LabBoard, type LabBoardConfig } from '../lab/board.ts';
import { WaitTimeoutError, type LineCapture } from '../serial/line-capture.ts';
import { compileFaultPatterns, scanFaults, type FaultHit } from './faults.ts';
import { TapStream, type TapSummary } from './tap-stream.ts';
import { buildTimeline, type BootTimeline, type TimelineConfig } from './timeline.ts';
import type { Statistic } from '../results/stats.ts';
import { verifyArtifact } from './signature.ts';

/** config-level description of how to boot and judge (JSON) */
export interface BootPlan {
  /** image under test: ELF layout and signature are checked on it */
  image?: string;
  /** how cold boots are made: QEMU (launch) or a lab board */
  qemu?: QemuLaunchSpec;
  lab?: LabBoardConfig;
  stateRoot: string;
  timeline: {
    stages: Array<{ name: string; pattern: string; budgetMs?: number }>;
    bootStage: string;
    /** config boot.budgetMs */
    budgetMs: number;
    guestClock?: string;
  };
  bootRuns: number;
  statistic: Statistic;
  timeoutMs: number;
  /** fault patterns as config strings; undefined: the contract list */
  faultPatterns?: string[];
  /** LOAD ranges ("0x40000000..0x80000000"); null: no layout check configured */
  loadRanges: string[] | null;
  signature: { publicKey: string; signature?: string; manifest?: string } | null;
  /** refuse to boot an image that fails verification (a product failure, before QEMU starts) */
  verifyBeforeBoot: boolean;
  /** expected content of /srv/cohrole */
  role: string;
  /** bound on the self-test TAP after boot */
  tapTimeoutMs: number;
}

export interface SharedBoot {
  console: { host: string; port: number } | null;
  lines: string[];
  timeline: BootTimeline;
  tap: TapSummary;
  faults: FaultHit[];
  /** why the shared boot did not complete, with the last lines */
  error?: string;
}

export interface BootResources extends BootPlan {
  shared: SharedBoot;
}

export function timelineConfigOf(plan: BootPlan): TimelineConfig {
  return {
    stages: plan.timeline.stages.map((s) => ({ ...s })),
    bootStage: plan.timeline.bootStage,
    budgetMs: plan.timeline.budgetMs,
    guestClock: plan.timeline.guestClock ? new RegExp(plan.timeline.guestClock) : undefined,
  };
}

async function followBoot(capture: LineCapture, plan: BootPlan, tap: TapStream): Promise<string | undefined> {
  const cfg = timelineConfigOf(plan);
  const boot = cfg.stages.find((s) => s.name === cfg.bootStage)!;
  try {
    await capture.waitFor(new RegExp(boot.pattern), {
      timeoutMs: plan.timeoutMs,
      what: `boot stage "${boot.name}"`,
    });
  } catch (e) {
    if (e instanceof WaitTimeoutError) return e.message;
    throw e;
  }
  const last = cfg.stages[cfg.stages.length - 1]!;
  await capture.waitFor(new RegExp(last.pattern), { timeoutMs: 1000 }).catch(() => undefined);
  // the self-tests follow the boot; bounded, and their absence is judged by the TAP cases
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([tap.done, new Promise((r) => (timer = setTimeout(r, plan.tapTimeoutMs)))]);
  clearTimeout(timer);
  tap.end();
  return undefined;
}

function shared(
  capture: LineCapture,
  t: { spawn: number; qmpReady: number; cont: number },
  plan: BootPlan,
  tap: TapStream,
  console: SharedBoot['console'],
  error?: string,
): SharedBoot {
  const lines = capture.all();
  return {
    console,
    lines: lines.map((l) => l.text),
    timeline: buildTimeline(lines, { ...t, firstByte: capture.firstByteAt }, timelineConfigOf(plan)),
    tap: tap.summary(),
    faults: scanFaults(lines, compileFaultPatterns(plan.faultPatterns)),
    error,
  };
}

/** the self-test stream: without a "TAP version" line, TAP counts only after the boot stage's marker */
function tapStreamFor(plan: BootPlan): TapStream {
  const boot = plan.timeline.stages.find((s) => s.name === plan.timeline.bootStage);
  return new TapStream({ after: boot ? new RegExp(boot.pattern) : undefined });
}

/** the verification verdict when the plan refuses unverified images; undefined when it may boot */
export function refusalToBoot(plan: BootPlan): string | undefined {
  if (!plan.verifyBeforeBoot || !plan.signature || !plan.image) return undefined;
  const v = verifyArtifact({ image: plan.image, ...plan.signature });
  if (v.ok) return undefined;
  return `not booted: ${plan.image} failed verification before boot — ${v.checks
    .filter((c) => !c.ok)
    .map((c) => `${c.name}: ${c.detail}`)
    .join('; ')}`;
}

function notBooted(plan: BootPlan, reason: string): SharedBoot {
  const t = performance.now();
  return {
    console: null,
    lines: [],
    timeline: buildTimeline([], { spawn: t, qmpReady: t, cont: t }, timelineConfigOf(plan)),
    tap: new TapStream().end(),
    faults: [],
    error: reason,
  };
}

/** boot the shared QEMU instance (serial on a TCP chardev so a console can attach later) */
export async function bootSharedQemu(
  plan: BootPlan,
  launch: QemuLaunchSpec,
  signal?: AbortSignal,
): Promise<{ shared: SharedBoot; stop(): Promise<void> }> {
  const refused = refusalToBoot(plan);
  if (refused) return { shared: notBooted(plan, refused), stop: async () => {} };
  const inst = await QemuInstance.start({
    ...launch,
    serial: 'tcp',
    label: 'boot-shared',
    stateRoot: plan.stateRoot,
    autoCont: false,
    signal,
  });
  try {
    const tap = tapStreamFor(plan);
    inst.serial.onLine((l) => tap.feed(l.text));
    await inst.cont();
    const error = await followBoot(inst.serial, plan, tap);
    inst.detachSerial();
    const result = shared(
      inst.serial,
      { spawn: inst.times.spawn, qmpReady: inst.times.qmpReady, cont: inst.times.cont! },
      plan,
      tap,
      { host: '127.0.0.1', port: inst.serialPort! },
      error,
    );
    return { shared: result, stop: () => inst.stop() };
  } catch (e) {
    await inst.stop();
    throw e;
  }
}

/** boot the shared lab board: power-cycle with the serial connected, then free the serial port for a console */
export async function bootSharedLab(
  plan: BootPlan,
  cfg: LabBoardConfig,
): Promise<{ shared: SharedBoot; stop(): Promise<void> }> {
  const refused = refusalToBoot(plan);
  if (refused) return { shared: notBooted(plan, refused), stop: async () => {} };
  const board = new LabBoard(cfg);
  await board.power('off');
  const capture = await board.connectSerial();
  const tap = tapStreamFor(plan);
  capture.onLine((l) => tap.feed(l.text));
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await board.power('on');
    error = await followBoot(capture, plan, tap);
  } catch (e) {
    // leave the board off and the serial port free when the boot could not be followed
    board.disconnectSerial();
    await board.power('off').catch(() => undefined);
    throw e;
  }
  board.disconnectSerial();
  const result = shared(
    capture,
    { spawn: t0, qmpReady: t0, cont: t0 },
    plan,
    tap,
    { host: cfg.serial.host, port: cfg.serial.port },
    error,
  );
  return { shared: result, stop: () => board.power('off') };
}
