// `cohesix-qa boot`: boot any image (this project's or not) N times cold and
// print its timeline. Exit codes follow the harness: 0 pass, 1 product failure
// (budget, marker missing, out of order, fault line, signature, layout),
// 2 usage, 3 infrastructure.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { UsageError } from '../errors.ts';
import type { QemuLaunchSpec } from '../qemu/profiles.ts';
import { coldBoot, bootReport, judgmentOf, type ColdBootRun } from './cold-boot.ts';
import { budgetSentence } from '../results/budget.ts';
import { compileFaultPatterns } from './faults.ts';
import { parseElf64 } from './elf.ts';
import { checkLayout, parseRange, VIRT_AARCH64_RAM } from './layout.ts';
import { verifyArtifact } from './signature.ts';
import { defaultTimelineConfig, formatTimeline, type TimelineConfig } from './timeline.ts';
import type { Statistic } from '../results/stats.ts';
import { onInterrupt } from './interrupt.ts';

export interface BootCommandOptions {
  image: string;
  qemu?: string;
  machine?: string;
  cpu?: string;
  memory?: number;
  /** extra QEMU arguments, verbatim */
  qemuArg?: string[];
  /** "regex" or "name=regex", in boot order; the last (or --boot-stage) ends boot */
  marker?: string[];
  bootStage?: string;
  runs?: number;
  budgetMs?: number;
  statistic?: Statistic;
  timeoutMs?: number;
  deterministic?: boolean;
  fault?: string[];
  /** check LOAD segments against these ranges ("0x40000000..0x80000000"); ELF images only */
  loadRange?: string[];
  publicKey?: string;
  signature?: string;
  manifest?: string;
  json?: string;
  stateRoot?: string;
}

export interface CommandIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export function timelineFromMarkers(
  markers: string[] | undefined,
  bootStage?: string,
  budgetMs?: number,
): TimelineConfig {
  const cfg = defaultTimelineConfig();
  if (markers?.length) {
    cfg.stages = markers.map((m, i) => {
      const eq = /^([A-Za-z_][\w-]*)=(.+)$/.exec(m);
      const [name, pattern] = eq ? [eq[1]!, eq[2]!] : [`marker${i + 1}`, m];
      try {
        new RegExp(pattern);
      } catch (e) {
        throw new UsageError(
          `--marker ${JSON.stringify(m)}: not a valid regular expression (${(e as Error).message})`,
        );
      }
      return { name, pattern };
    });
    cfg.bootStage = bootStage ?? cfg.stages[cfg.stages.length - 1]!.name;
  } else if (bootStage) cfg.bootStage = bootStage;
  if (!cfg.stages.some((s) => s.name === cfg.bootStage)) {
    throw new UsageError(
      `--boot-stage ${cfg.bootStage}: no stage of that name (stages: ${cfg.stages.map((s) => s.name).join(', ')})`,
    );
  }
  if (budgetMs !== undefined) cfg.budgetMs = budgetMs;
  return cfg;
}

export function launchSpecFor(o: BootCommandOptions): QemuLaunchSpec {
  const binary = o.qemu ?? 'qemu-system-aarch64';
  const aarch64Default = basename(binary).includes('aarch64') && !o.machine;
  return aarch64Default
    ? {
        profile: 'cohesix-aarch64-virt',
        binary,
        image: o.image,
        cpu: o.cpu,
        memoryMb: o.memory,
        extraArgs: o.qemuArg,
        deterministic: o.deterministic,
      }
    : {
        profile: 'generic',
        binary,
        image: o.image,
        machine: o.machine,
        cpu: o.cpu,
        memoryMb: o.memory,
        extraArgs: o.qemuArg,
        deterministic: o.deterministic,
      };
}

export async function runBootCommand(o: BootCommandOptions, io: CommandIo): Promise<number> {
  try {
    if (!o.image) throw new UsageError('boot: --image <file> is required');
    if (!existsSync(o.image)) throw new UsageError(`boot: image ${o.image} does not exist`);
    const runs = o.runs ?? 1;
    if (!Number.isInteger(runs) || runs < 1 || runs > 1000)
      throw new UsageError(`boot: --runs must be an integer 1..1000, got ${o.runs}`);
    const timeline = timelineFromMarkers(o.marker, o.bootStage, o.budgetMs);
    const faultPatterns = compileFaultPatterns(o.fault?.length ? o.fault : undefined);
    const launch = launchSpecFor(o);
    let productFailures: string[] = [];

    if (o.publicKey) {
      const v = verifyArtifact({
        image: o.image,
        publicKey: o.publicKey,
        signature: o.signature,
        manifest: o.manifest,
      });
      for (const c of v.checks) io.out(`signature ${c.name}: ${c.ok ? 'ok' : 'FAILED'} — ${c.detail}`);
      if (!v.ok) {
        io.err(`boot: ${o.image} failed verification; not booting it`);
        return 1;
      }
    }
    const isElf = readFileSync(o.image)
      .subarray(0, 4)
      .equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    if (isElf) {
      // ranges given, or the aarch64 virt default for the upstream profile; other machines: no range check unless asked
      const ranges = o.loadRange?.length
        ? o.loadRange.map((r) => parseRange(r))
        : launch.profile === 'cohesix-aarch64-virt'
          ? [VIRT_AARCH64_RAM]
          : null;
      if (ranges) {
        const violations = checkLayout(parseElf64(readFileSync(o.image), o.image), ranges);
        for (const v of violations) io.out(`layout: ${v.message}`);
        productFailures.push(...violations.map((v) => `layout: ${v.message}`));
      }
    } else if (o.loadRange?.length)
      throw new UsageError(`boot: --load-range needs an ELF image; ${o.image} is not one`);

    const ctl = new AbortController();
    const off = onInterrupt(async () => ctl.abort());
    const results: ColdBootRun[] = [];
    try {
      for (let i = 0; i < runs && !ctl.signal.aborted; i++) {
        const r = await coldBoot({
          launch,
          label: `boot-${i + 1}`,
          stateRoot: o.stateRoot,
          timeline,
          timeoutMs: o.timeoutMs ?? 10_000,
          faultPatterns,
          signal: ctl.signal,
        });
        results.push(r);
        io.out(`run ${i + 1}/${runs}`);
        io.out(formatTimeline(r.timeline));
        for (const f of r.faults) io.out(`fault line ${f.lineIndex}: ${f.text}`);
        if (r.error) {
          io.out(r.error);
          break;
        }
      }
    } finally {
      off();
    }
    const report = bootReport(results, {
      launch,
      timeline,
      timeoutMs: o.timeoutMs ?? 10_000,
      statistic: o.statistic,
    });
    if (report.stats) {
      const s = report.stats;
      io.out(
        `cold boot to ${timeline.bootStage} over ${s.n} run(s): min ${s.min.toFixed(1)} ms, median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms` +
          (report.guestStats ? `; guest clock median ${report.guestStats.median.toFixed(3)} ms` : ''),
      );
    }
    if (!report.allReached)
      productFailures.push(`boot stage "${timeline.bootStage}" not reached in every run`);
    else if (!report.withinBudget)
      productFailures.push(
        budgetSentence(`cold boot to "${timeline.bootStage}"`, judgmentOf(report), '--budget-ms'),
      );
    if (results.some((r) => !r.timeline.inOrder)) productFailures.push('markers out of order');
    if (results.some((r) => r.faults.length)) productFailures.push('fault lines on the serial console');
    if (o.json) {
      mkdirSync(dirname(o.json), { recursive: true });
      writeFileSync(o.json, JSON.stringify(report, null, 2));
    }
    productFailures = [...new Set(productFailures)];
    if (productFailures.length) {
      io.err(`boot: FAILED — ${productFailures.join('; ')}`);
      return 1;
    }
    io.out(`boot: ok (${report.statistic} ${report.judgedMs?.toFixed(1)} ms ≤ ${timeline.budgetMs} ms)`);
    return 0;
  } catch (e) {
    const err = e as Error;
    if (err.name === 'UsageError') {
      io.err(err.message);
      return 2;
    }
    if (err.name === 'InfraError') {
      io.err(`infrastructure: ${err.message}`);
      return 3;
    }
    io.err(`boot: ${err.message}`);
    return 3;
  }
}
