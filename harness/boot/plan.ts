// A boot plan from the user's config: the `boot` section (paths already
// resolved against the config file) plus how the target boots (a QEMU launch
// or a lab board). Defaults follow the contract: the four upstream markers,
// COHESIX_BOOT_OK ends boot, DEFAULT_BOOT_BUDGET_MS, 5 cold boots judged on the median.
import { UsageError } from '../errors.ts';
import type { LabBoardConfig } from '../lab/board.ts';
import type { QemuLaunchSpec } from '../qemu/profiles.ts';
import { VIRT_AARCH64_RAM, parseRange } from './layout.ts';
import type { BootPlan } from './shared-boot.ts';
import { DEFAULT_BOOT_BUDGET_MS, DEFAULT_STAGES } from './timeline.ts';
import { DEFAULT_STATISTIC } from '../results/budget.ts';

export const DEFAULT_ROLE = 'QueenPrimary';
export const DEFAULT_LOAD_RANGE = `0x${VIRT_AARCH64_RAM.start.toString(16)}..0x${VIRT_AARCH64_RAM.end.toString(16)}`;

export interface BootSection {
  image?: string;
  stages?: Array<{ name: string; pattern: string; budgetMs?: number }>;
  bootStage?: string;
  budgetMs?: number;
  bootRuns?: number;
  statistic?: BootPlan['statistic'];
  timeoutMs?: number;
  tapTimeoutMs?: number;
  guestClock?: string;
  faultPatterns?: string[];
  loadRanges?: string[];
  publicKey?: string;
  signatureFile?: string;
  manifestFile?: string;
  verifyBeforeBoot?: boolean;
  role?: string;
  deterministic?: boolean;
}

export function bootPlanFromConfig(
  section: BootSection,
  how: { stateRoot: string; qemu?: QemuLaunchSpec; lab?: LabBoardConfig; defaultTimeoutMs?: number },
): BootPlan {
  const stages = section.stages ?? DEFAULT_STAGES.map((s) => ({ name: s.name, pattern: String(s.pattern) }));
  for (const s of stages) {
    try {
      new RegExp(s.pattern);
    } catch (e) {
      throw new UsageError(
        `config boot.stages "${s.name}": pattern is not a regex (${(e as Error).message})`,
      );
    }
  }
  const bootStage = section.bootStage ?? (section.stages ? stages[stages.length - 1]!.name : 'boot_ok');
  if (!stages.some((s) => s.name === bootStage)) {
    throw new UsageError(
      `config boot.bootStage "${bootStage}" is not one of the stages (${stages.map((s) => s.name).join(', ')})`,
    );
  }
  const loadRanges =
    section.loadRanges ??
    (how.qemu?.profile === 'cohesix-aarch64-virt' || !how.qemu ? [DEFAULT_LOAD_RANGE] : null);
  for (const r of loadRanges ?? []) {
    try {
      parseRange(r);
    } catch (e) {
      throw new UsageError(`config boot.loadRanges: ${(e as Error).message}`);
    }
  }
  return {
    image: section.image ?? how.qemu?.image,
    qemu: how.qemu
      ? { ...how.qemu, deterministic: how.qemu.deterministic ?? section.deterministic }
      : undefined,
    lab: how.lab,
    stateRoot: how.stateRoot,
    timeline: {
      stages,
      bootStage,
      budgetMs: section.budgetMs ?? DEFAULT_BOOT_BUDGET_MS,
      guestClock: section.guestClock,
    },
    bootRuns: section.bootRuns ?? 5,
    statistic: section.statistic ?? DEFAULT_STATISTIC,
    timeoutMs: section.timeoutMs ?? how.defaultTimeoutMs ?? 10_000,
    faultPatterns: section.faultPatterns,
    loadRanges,
    signature: section.publicKey
      ? { publicKey: section.publicKey, signature: section.signatureFile, manifest: section.manifestFile }
      : null,
    verifyBeforeBoot: section.verifyBeforeBoot ?? Boolean(section.publicKey),
    role: section.role ?? DEFAULT_ROLE,
    tapTimeoutMs: section.tapTimeoutMs ?? 3000,
  };
}
