// The boot area of the reference target: builds (idempotently) and signs the
// reference guest images, boots the shared reference QEMU once per run, and
// hands the boot suite its resources. A boot-* defect picks the variant image.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import { runCommand } from '../../harness/process/spawn.ts';
import { ReferenceEnvironmentError } from '../errors.ts';
import { bootSharedQemu, type BootPlan, type BootResources } from '../../harness/boot/shared-boot.ts';
import { bootPlanFromConfig, type BootSection } from '../../harness/boot/plan.ts';
import { imagesForDefect } from './defects.ts';
import { soleDefect } from '../defect-spec.ts';

export const IMAGE_DIR = resolve(import.meta.dirname, '../image');
export const IMAGE_BUILD_DIR = join(IMAGE_DIR, 'build');
export const REFERENCE_ROLE = 'QueenPrimary';

function buildIsStale(): boolean {
  const ok = join(IMAGE_BUILD_DIR, 'ok.elf');
  if (
    !existsSync(ok) ||
    !existsSync(join(IMAGE_BUILD_DIR, 'boot-tampered.elf')) ||
    !existsSync(join(IMAGE_BUILD_DIR, 'SHA256SUMS.sig'))
  )
    return true;
  const built = statSync(ok).mtimeMs;
  return readdirSync(IMAGE_DIR).some(
    (f) => /\.(c|h|S|ld|sh)$/.test(f) && statSync(join(IMAGE_DIR, f)).mtimeMs > built,
  );
}

/** the project's set-up step for the guest image: build every variant, make the test key, sign */
export async function buildReferenceImages(signal?: AbortSignal): Promise<void> {
  if (!buildIsStale()) return;
  const r = await runCommand('sh', [join(IMAGE_DIR, 'build.sh')], { timeoutMs: 120_000, signal });
  if (r.spawnError || r.exitCode !== 0) {
    throw new ReferenceEnvironmentError(
      `reference guest image build failed (exit ${r.exitCode ?? r.spawnError}): ${(r.stderr || r.stdout).trim().slice(-800)}`,
      'apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu openssl',
    );
  }
}

export function referenceBootPlan(
  ctx: Pick<ServiceContext, 'stateRoot' | 'defects' | 'areaConfig'>,
): BootPlan {
  const images = imagesForDefect(soleDefect(ctx.defects));
  const image = (v: string): string => join(IMAGE_BUILD_DIR, `${v}.elf`);
  const section = (ctx.areaConfig ?? {}) as BootSection;
  return bootPlanFromConfig(
    {
      ...section,
      image: image(images.shared),
      publicKey: section.publicKey ?? join(IMAGE_BUILD_DIR, 'test-signing-key.pub.pem'),
      manifestFile: section.manifestFile ?? join(IMAGE_BUILD_DIR, 'SHA256SUMS'),
      // the reference boots even a tampered image, so the signature case alone catches boot-tampered
      verifyBeforeBoot: false,
      role: section.role ?? REFERENCE_ROLE,
    },
    {
      stateRoot: ctx.stateRoot,
      qemu: { profile: 'cohesix-aarch64-virt', image: image(images.coldBoot) },
      defaultTimeoutMs: 3000,
    },
  );
}

export const bootService: ReferenceService = {
  area: 'boot',
  async start(ctx: ServiceContext): Promise<StartedService> {
    await buildReferenceImages(ctx.signal);
    const plan = referenceBootPlan(ctx);
    const { shared, stop } = await bootSharedQemu(plan, { ...plan.qemu!, image: plan.image }, ctx.signal);
    const resources: BootResources = { ...plan, shared };
    return {
      resources: resources as unknown as Record<string, unknown>,
      provenance: { 'boot.image': plan.image!, 'boot.qemu': 'qemu-system-aarch64 (cohesix-aarch64-virt)' },
      stop,
    };
  },
};
