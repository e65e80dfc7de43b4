// The qemu target: the user's image in QEMU (upstream aarch64 virt command line,
// or any binary / machine / args). When the boot suite is planned, the image is
// booted once (shared by the boot cases) and the boot area gets its resources;
// other areas take theirs from the config.
import { isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import type { QemuTargetConfig } from '../config/targets.ts';
import type { QemuLaunchSpec } from '../qemu/profiles.ts';
import { bootPlanFromConfig, type BootSection } from '../boot/plan.ts';
import { bootSharedQemu, type BootResources } from '../boot/shared-boot.ts';
import { areaConfig, configResources, type StartedTarget, type TargetStartContext } from './context.ts';

export function qemuLaunchFromConfig(ctx: TargetStartContext): QemuLaunchSpec {
  const q = (ctx.loaded.config.targets?.qemu ?? {}) as QemuTargetConfig;
  const boot = (areaConfig(ctx.loaded, 'boot') ?? {}) as BootSection;
  const image = q.image ? (isAbsolute(q.image) ? q.image : resolve(ctx.loaded.baseDir, q.image)) : boot.image;
  if (!image && (q.profile ?? 'cohesix-aarch64-virt') === 'cohesix-aarch64-virt') {
    throw new UsageError(
      'target qemu: no image to boot\n  fix: set boot.image (or targets.qemu.image) in the config to your root server ELF',
    );
  }
  if (image && !existsSync(image)) {
    throw new UsageError(
      `target qemu: image ${image} does not exist\n  fix: check boot.image / targets.qemu.image in the config`,
    );
  }
  const profile =
    q.profile ??
    (q.machine || (q.binary && !q.binary.includes('aarch64')) ? 'generic' : 'cohesix-aarch64-virt');
  if (profile === 'generic' && !q.binary) {
    throw new UsageError(
      'target qemu: the generic profile needs targets.qemu.binary (e.g. qemu-system-x86_64)',
    );
  }
  return {
    profile,
    binary: q.binary,
    image,
    machine: q.machine,
    cpu: q.cpu,
    memoryMb: q.memoryMb,
    extraArgs: q.args,
    deterministic: q.deterministic,
  };
}

export async function startQemuTarget(ctx: TargetStartContext): Promise<StartedTarget> {
  const resources = configResources(ctx);
  if (!ctx.areas.includes('boot')) {
    // nothing of this kind boots unless the boot suite is planned; other areas use their config
    return { descriptor: { kind: 'qemu', name: 'qemu', resources }, stop: async () => {} };
  }
  const launch = qemuLaunchFromConfig(ctx);
  const plan = bootPlanFromConfig((areaConfig(ctx.loaded, 'boot') ?? {}) as BootSection, {
    stateRoot: ctx.stateRoot,
    qemu: launch,
  });
  const started = await bootSharedQemu(plan, plan.qemu!, ctx.signal);
  if (started.shared.error) ctx.log('warn', `qemu target: ${started.shared.error.split('\n')[0]}`);
  resources.boot = { ...plan, shared: started.shared } satisfies BootResources;
  return {
    descriptor: {
      kind: 'qemu',
      name: `qemu:${launch.image ?? launch.binary}`,
      resources,
      provenance: {
        'boot.image': launch.image ?? '',
        'boot.qemu': `${launch.binary ?? 'qemu-system-aarch64'} (${launch.profile})`,
      },
    },
    stop: started.stop,
  };
}
