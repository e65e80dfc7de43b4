// The boot area of the reference target: builds (idempotently) and signs the
// reference guest images, boots the shared reference QEMU once per run, and
// hands the boot suite its resources. A boot-* defect picks the variant image.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import { runCommand } from '../../harness/process/spawn.ts';
import { InfraError } from '../../harness/errors.ts';
import { bootSharedQemu, type BootPlan, type BootResources } from '../../harness/boot/shared-boot.ts';
import { DEFAULT_STAGES } from '../../harness/boot/timeline.ts';
import { VIRT_AARCH64_RAM } from '../../harness/boot/layout.ts';
import { imagesForDefect } from './defects.ts';

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
    throw new InfraError(
      `reference guest image build failed (exit ${r.exitCode ?? r.spawnError}): ${(r.stderr || r.stdout).trim().slice(-800)}`,
      'apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu openssl',
    );
  }
}

function num(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw new InfraError(`config boot.${name} must be a positive number, got ${JSON.stringify(v)}`);
  return v;
}

export function referenceBootPlan(
  ctx: Pick<ServiceContext, 'stateRoot' | 'defect' | 'areaConfig'>,
): BootPlan {
  const images = imagesForDefect(ctx.defect);
  const image = (v: string): string => join(IMAGE_BUILD_DIR, `${v}.elf`);
  const cfg = ctx.areaConfig ?? {};
  const statistic = (cfg.statistic as BootPlan['statistic'] | undefined) ?? 'median';
  if (!['min', 'median', 'p95', 'max'].includes(statistic))
    throw new InfraError(
      `config boot.statistic must be min, median, p95 or max, got ${JSON.stringify(statistic)}`,
    );
  return {
    image: image(images.shared),
    qemu: {
      profile: 'cohesix-aarch64-virt',
      image: image(images.coldBoot),
      deterministic: Boolean(cfg.deterministic),
    },
    stateRoot: ctx.stateRoot,
    timeline: {
      stages: DEFAULT_STAGES.map((s) => ({ name: s.name, pattern: String(s.pattern) })),
      bootStage: 'boot_ok',
      totalBudgetMs: num(cfg.budgetMs, 'budgetMs', 200),
    },
    bootRuns: num(cfg.bootRuns, 'bootRuns', 5),
    statistic,
    timeoutMs: num(cfg.timeoutMs, 'timeoutMs', 3000),
    loadRanges: [`0x${VIRT_AARCH64_RAM.start.toString(16)}..0x${VIRT_AARCH64_RAM.end.toString(16)}`],
    signature: {
      publicKey: join(IMAGE_BUILD_DIR, 'test-signing-key.pub.pem'),
      manifest: join(IMAGE_BUILD_DIR, 'SHA256SUMS'),
    },
    role: REFERENCE_ROLE,
    tapTimeoutMs: 3000,
  };
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
