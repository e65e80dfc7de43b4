// Bring a release bundle up for the release area: read the bundle, verify,
// boot it in QEMU with the command line its facts describe, and describe the
// console. Shared by the release target kind and the reference target (which
// points it at its generated bundle and its emulated console).
import { UsageError } from '../errors.ts';
import { allocatePort, releasePort } from '../qemu/ports.ts';
import { bootReleaseBundle } from './boot.ts';
import { readBundle } from './bundle.ts';
import { readPolicyHashes } from './policy-hash.ts';
import { chooseAccel, releaseLaunchSpec } from './launch.ts';
import {
  PLATFORM_PROFILES,
  RELEASE_BOOT_STAGE,
  RELEASE_MILESTONES,
  type Milestone,
  type PlatformProfile,
} from './milestones.ts';
import type { ReleaseResources } from './resources.ts';

export interface ReleaseSection {
  bundle?: string;
  accel?: string;
  qemuBinary?: string;
  platform?: PlatformProfile;
  budgetMs?: number;
  timeoutMs?: number;
  milestones?: Milestone[];
  bootStage?: string;
  token?: string;
  worker?: { id: string; ticket: string };
  failureLimit?: number;
  failureWindowMs?: number;
  cooldownMs?: number;
  /** refuse to boot a bundle that does not match its manifest (default true) */
  verifyBeforeBoot?: boolean;
  /** use this console instead of the forwarded guest port (the reference emulation) */
  console?: { host: string; port: number };
  /** case groups that fail rather than skip when not configured (short names, e.g. "worker") */
  require?: string[];
}

/** release.bundle (`run --bundle` writes it there: harness/config/cli-overrides.ts) */
export function bundleOf(section: ReleaseSection): string {
  const dir = section.bundle;
  if (!dir)
    throw new UsageError(
      'target release: no bundle\n  fix: pass --bundle <dir> (the unpacked release folder) or set release.bundle in the config',
    );
  return dir;
}

export async function startRelease(
  section: ReleaseSection,
  ctx: { stateRoot: string; signal?: AbortSignal; emulation?: string },
): Promise<{ resources: ReleaseResources; stop(): Promise<void> }> {
  const bundle = readBundle(bundleOf(section));
  const accel = chooseAccel(section.accel);
  const platform: PlatformProfile = section.platform ?? (accel === 'tcg' ? 'qemu-tcg' : 'qemu-kvm');
  if (!(platform in PLATFORM_PROFILES))
    throw new UsageError(
      `release.platform ${JSON.stringify(platform)}: unknown\n  fix: use one of ${Object.keys(PLATFORM_PROFILES).join(', ')}`,
    );
  const budgetMs = section.budgetMs ?? PLATFORM_PROFILES[platform].budgetMs;
  const milestones = section.milestones ?? RELEASE_MILESTONES;
  const bootStage = section.bootStage ?? RELEASE_BOOT_STAGE;
  if (!milestones.some((m) => m.name === bootStage))
    throw new UsageError(`release.bootStage ${bootStage} is not one of the milestones`);
  const consolePort = await allocatePort();
  const launch = releaseLaunchSpec(bundle, { accel, consolePort, binary: section.qemuBinary });
  const started = await bootReleaseBundle(bundle, launch, {
    milestones,
    bootStage,
    budgetMs,
    timeoutMs: section.timeoutMs ?? Math.max(10_000, budgetMs * 5),
    stateRoot: ctx.stateRoot,
    signal: ctx.signal,
    verifyBeforeBoot: section.verifyBeforeBoot ?? true,
  });
  // the forwarded guest console is there only when the boot reached it; the boot case reports why not
  const booted = started.result.booted && !started.result.error;
  const console = section.console ?? (booted ? { host: '127.0.0.1', port: consolePort } : null);
  const consoleMissing = console
    ? undefined
    : `the bundle did not boot to its console (${(started.result.error ?? 'not booted').split('\n')[0]}); the boot case says why`;
  const resources: ReleaseResources = {
    bundle: {
      dir: bundle.dir,
      gicVersion: bundle.gicVersion,
      manifest: bundle.manifest,
      manifestFile: bundle.manifestFile,
      policies: readPolicyHashes(bundle.dir),
    },
    platform,
    budgetMs,
    accel,
    milestones,
    bootStage,
    boot: started.result,
    console: console ? { ...console, token: section.token ?? 'changeme' } : null,
    consoleMissing,
    worker: section.worker ?? null,
    cooldown: {
      failureLimit: section.failureLimit ?? 3,
      windowMs: section.failureWindowMs ?? 60_000,
      cooldownMs: section.cooldownMs ?? 90_000,
    },
    emulation: ctx.emulation,
    require: section.require ?? [],
  };
  return {
    resources,
    stop: async () => {
      await started.stop();
      releasePort(consolePort);
    },
  };
}
