// The release area of the reference target: a fake release bundle generated
// into the run's state dir from the reference guest image's release variant,
// booted for real in QEMU with the bundle's command line, and the release
// TCP console emulated by a node service (the reference guest has no network
// stack, so QEMU's forwarded port has nothing behind it; the console is the
// emulation's, on its own free port). release-* / console-* defects change
// the bundle or the console.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import { runCommand } from '../../harness/process/spawn.ts';
import { ReferenceEnvironmentError } from '../errors.ts';
import { startRelease, type ReleaseSection } from '../../harness/release/start.ts';
import { IMAGE_BUILD_DIR, IMAGE_DIR, buildReferenceImages } from '../boot/service.ts';
import { procBootLines, writeFakeBundle } from './bundle.ts';
import { ReleaseConsoleServer } from './console-server.ts';
import { ReleaseNamespace } from './namespace.ts';
import { mintTicket } from './tickets.ts';
import { consoleDefectsFor } from './defects.ts';

export const EMULATION_NOTE =
  'reference emulation: the bundle boots in real QEMU with the release command line, but image/elfloader is the ' +
  'reference guest (not seL4): it prints the release milestones itself and checks the GIC through ID_AA64PFR0_EL1; ' +
  'kernel.elf and the binaries in the (real newc) CPIO are loaded stand-ins; the TCP console is a node emulation of cohsh on its own port';

async function ensureReleaseImage(signal: AbortSignal): Promise<string> {
  await buildReferenceImages(signal);
  const elf = join(IMAGE_BUILD_DIR, 'release-gic2.elf');
  if (!existsSync(elf)) {
    const r = await runCommand('sh', [join(IMAGE_DIR, 'build.sh')], { timeoutMs: 120_000, signal });
    if (r.spawnError || r.exitCode !== 0 || !existsSync(elf))
      throw new ReferenceEnvironmentError(
        `reference release image build failed (exit ${r.exitCode ?? r.spawnError}): ${(r.stderr || r.stdout).trim().slice(-500)}`,
        'apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu',
      );
  }
  return elf;
}

export const releaseService: ReferenceService = {
  area: 'release',
  async start(ctx: ServiceContext): Promise<StartedService> {
    const elf = await ensureReleaseImage(ctx.signal);
    const bundleDir = join(ctx.stateDir, 'bundle');
    const bundle = writeFakeBundle(bundleDir, {
      elfloader: elf,
      gicVersion: ctx.defects.has('release-wrong-gic') ? '3' : '2',
      tamper: ctx.defects.has('release-manifest-mismatch') ? 'archive' : undefined,
      stalePolicy: ctx.defects.has('release-policy-hash-drift'),
    });
    const cfg = ctx.areaConfig as ReleaseSection;
    const token = cfg.token ?? 'changeme';
    const ticketSecret = randomBytes(32);
    const workerId = 'worker-1';
    const cooldownMs = cfg.cooldownMs ?? 1500;
    const namespace = new ReleaseNamespace(procBootLines(bundle), [workerId, 'worker-2']);
    const server = new ReleaseConsoleServer({
      token,
      ticketSecret,
      namespace,
      cooldownMs,
      failureWindowMs: cfg.failureWindowMs ?? 60_000,
      failureLimit: cfg.failureLimit ?? 3,
      defects: consoleDefectsFor(ctx.defects),
    });
    const port = await server.listen();
    try {
      const started = await startRelease(
        {
          ...cfg,
          bundle: bundleDir,
          token,
          cooldownMs,
          console: { host: '127.0.0.1', port },
          worker: { id: workerId, ticket: mintTicket(ticketSecret, 'worker-heartbeat', workerId) },
          // the reference boots even a mismatched bundle, so the manifest case alone catches the defect
          verifyBeforeBoot: false,
        },
        { stateRoot: ctx.stateRoot, signal: ctx.signal, emulation: EMULATION_NOTE },
      );
      return {
        resources: started.resources as unknown as Record<string, unknown>,
        provenance: { 'release.bundle': bundleDir, 'release.elfloader': elf },
        stop: async () => {
          await started.stop();
          await server.close();
        },
      };
    } catch (e) {
      await server.close();
      throw e;
    }
  },
};
