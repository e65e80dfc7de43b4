// Boot a release bundle in QEMU through the boot area's driver: verify the
// manifest first (a mismatch is a product failure and the bundle is not
// booted), start paused, `cont` is t0, follow the serial log until the
// console is ready or a fault line appears (which ends the boot at once with
// the last lines as evidence, not a timeout), then keep QEMU running so the
// forwarded TCP console can be driven.
import { QemuInstance } from '../qemu/instance.ts';
import { WaitTimeoutError } from '../serial/line-capture.ts';
import { buildTimeline, type BootTimeline } from '../boot/timeline.ts';
import { scanFaults, type FaultHit } from '../boot/faults.ts';
import type { QemuLaunchSpec } from '../qemu/profiles.ts';
import type { ReleaseBundle } from './bundle.ts';
import { describeMismatch, verifyManifest, type ManifestCheck } from './manifest-check.ts';
import { RELEASE_FAULT_PATTERNS, type Milestone } from './milestones.ts';

export interface ReleaseBootOptions {
  milestones: Milestone[];
  bootStage: string;
  budgetMs: number;
  timeoutMs: number;
  stateRoot: string;
  /** false boots a mismatched bundle anyway (the reference, so one case catches the defect) */
  verifyBeforeBoot: boolean;
  signal?: AbortSignal;
}

export interface ReleaseBootResult {
  manifest: ManifestCheck;
  booted: boolean;
  lines: string[];
  timeline: BootTimeline;
  faults: FaultHit[];
  /** the QEMU command line (for evidence and the report) */
  command: string;
  /** why the boot did not reach the console, with the last lines */
  error?: string;
}

function lastLines(lines: string[], n = 15): string {
  return lines.slice(-n).join('\n');
}

export async function bootReleaseBundle(
  bundle: ReleaseBundle,
  launch: QemuLaunchSpec,
  o: ReleaseBootOptions,
): Promise<{ result: ReleaseBootResult; stop(): Promise<void> }> {
  const cfg = { stages: o.milestones, bootStage: o.bootStage, budgetMs: o.budgetMs };
  const manifest = verifyManifest(bundle);
  if (!manifest.ok && o.verifyBeforeBoot) {
    const t = performance.now();
    return {
      result: {
        manifest,
        booted: false,
        lines: [],
        timeline: buildTimeline([], { spawn: t, qmpReady: t, cont: t }, cfg),
        faults: [],
        command: '',
        error: `not booted: the bundle does not match its manifest — ${manifest.mismatches.map(describeMismatch).join('; ') || 'the manifest lists no files'}`,
      },
      stop: async () => {},
    };
  }
  const inst = await QemuInstance.start({
    ...launch,
    serial: 'stdio',
    label: 'release',
    stateRoot: o.stateRoot,
    autoCont: false,
    signal: o.signal,
  });
  try {
    await inst.cont();
    const stage = o.milestones.find((m) => m.name === o.bootStage)!;
    const stageRe = new RegExp(stage.pattern);
    let error: string | undefined;
    try {
      const hit = await inst.serial.waitFor(
        (text) => stageRe.test(text) || RELEASE_FAULT_PATTERNS.some((p) => p.test(text)),
        { timeoutMs: o.timeoutMs, what: `milestone "${stage.name}" or a fault line` },
      );
      if (!stageRe.test(hit.text)) {
        // let the lines printed with the fault arrive, bounded
        await new Promise((r) => setTimeout(r, 100));
        error = `boot died: fault line "${hit.text}"\nlast lines:\n${lastLines(inst.serial.all().map((l) => l.text))}`;
      }
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
      error = e.message;
    }
    const lines = inst.serial.all();
    const result: ReleaseBootResult = {
      manifest,
      booted: true,
      lines: lines.map((l) => l.text),
      timeline: buildTimeline(
        lines,
        {
          spawn: inst.times.spawn,
          qmpReady: inst.times.qmpReady,
          cont: inst.times.cont!,
          firstByte: inst.serial.firstByteAt,
        },
        cfg,
      ),
      faults: scanFaults(lines, RELEASE_FAULT_PATTERNS),
      command: [inst.command.binary, ...inst.command.args].join(' '),
      error,
    };
    return { result, stop: () => inst.stop() };
  } catch (e) {
    await inst.stop();
    throw e;
  }
}
