// The reference release bundle: the layout releases ship, generated into the
// run's state dir. image/elfloader is the reference guest image's release
// variant (reference/image, -DRELEASE_GIC=2): it prints the release
// milestones for real in QEMU and stops with `KERNEL DATA ABORT!` when the
// machine's GIC is not the one it was built for. kernel.elf is a stand-in;
// image/cohesix-system.cpio is a real newc archive holding what the manifest
// lists (cohesix/bin/*, cohesix/manifest.json), and image/rootserver is the
// archived root task, as in a release. The stand-ins are loaded where run.sh
// loads them, never run.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReleaseManifest } from '../../contract/release/manifest.ts';
import { writeNewc, type CpioInput } from './cpio-writer.ts';
import { releaseProcBootLines } from './proc-boot-lines.ts';

export const REFERENCE_RELEASE = {
  release: '0.3.0-alpha-reference',
  profile: 'virt-aarch64',
  target: 'aarch64-unknown-none',
};

export interface FakeBundleOptions {
  /** the guest image to ship as image/elfloader */
  elfloader: string;
  /** what image/gic-version.txt says (the kernel is built for 2) */
  gicVersion: '2' | '3';
  /**
   * change the bundle after its manifest was written (release-manifest-mismatch):
   * `archive` flips one byte of the archived root task; `rootserver` flips one
   * byte of image/rootserver only
   */
  tamper?: 'archive' | 'rootserver';
  /** out/cohsh_policy.toml carries a stale manifest_sha256 (release-policy-hash-drift) */
  stalePolicy?: boolean;
}

export interface FakeBundle {
  dir: string;
  manifest: ReleaseManifest;
  /** what /proc/boot says as manifest.sha256: the hash of configs/root_task.toml */
  manifestSha256: string;
}

/** archived binaries, as the manifest lists them */
const BINARIES = [
  { name: 'root-task', path: 'cohesix/bin/root-task' },
  { name: 'nine-door', path: 'cohesix/bin/nine-door' },
  { name: 'worker-heartbeat', path: 'cohesix/bin/worker-heartbeat' },
];

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function flipLastByte(b: Buffer): Buffer {
  const c = Buffer.from(b);
  c[c.length - 1] = c[c.length - 1]! ^ 0xff;
  return c;
}

export function writeFakeBundle(dir: string, o: FakeBundleOptions): FakeBundle {
  for (const d of ['image', 'qemu', 'configs', 'out']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync(o.elfloader, join(dir, 'image/elfloader'));
  // stand-ins with random content, so a stale bundle never matches a new manifest by accident
  writeFileSync(
    join(dir, 'image/kernel.elf'),
    Buffer.concat([Buffer.from('reference seL4 kernel stand-in, GICv2\n'), randomBytes(2048)]),
  );
  const files = BINARIES.map((b) => ({
    ...b,
    data: Buffer.concat([Buffer.from(`reference ${b.name} stand-in\n`), randomBytes(2048 + 1)]),
  }));
  const manifest: ReleaseManifest = {
    profile: REFERENCE_RELEASE.profile,
    target: REFERENCE_RELEASE.target,
    binaries: files.map((f) => ({ name: f.name, path: f.path, size: f.data.length, sha256: sha(f.data) })),
  };
  const manifestJson = JSON.stringify(manifest, null, 2) + '\n';
  writeFileSync(join(dir, 'image/manifest.json'), manifestJson);
  const rootTask = files[0]!.data;
  writeFileSync(join(dir, 'image/rootserver'), o.tamper === 'rootserver' ? flipLastByte(rootTask) : rootTask);
  const archived: CpioInput[] = [
    ...files.map((f) => ({
      path: f.path,
      data: o.tamper === 'archive' && f.name === 'root-task' ? flipLastByte(f.data) : f.data,
      perm: 0o755,
    })),
    { path: 'cohesix/manifest.json', data: Buffer.from(manifestJson) },
    { path: 'cohesix/proc/tests' },
  ];
  writeFileSync(join(dir, 'image/cohesix-system.cpio'), writeNewc(archived));
  writeFileSync(join(dir, 'image/gic-version.txt'), `${o.gicVersion}\n`);

  // the compiled root-task manifest and the policies generated from it (the
  // bundle's docs/SECURITY.md: they carry its hash as manifest_sha256)
  const rootTaskToml = `# reference root-task manifest\n[meta]\nschema = "1.5"\nprofile = "${REFERENCE_RELEASE.profile}"\n\n[telemetry]\nring_bytes_per_worker = 1024\n`;
  writeFileSync(join(dir, 'configs/root_task.toml'), rootTaskToml);
  const manifestSha256 = sha(Buffer.from(rootTaskToml));
  writeFileSync(
    join(dir, 'out/coh_policy.toml'),
    `# generated from configs/root_task.toml\nmanifest_sha256 = "${manifestSha256}"\n\n[[rule]]\npath = "/proc/boot"\nallow = ["read"]\n`,
  );
  writeFileSync(
    join(dir, 'out/cohsh_policy.toml'),
    `# generated from configs/root_task.toml\n[meta]\nmanifest_sha256 = "${o.stalePolicy ? sha(Buffer.from('an older root_task.toml')) : manifestSha256}"\n\n[retry]\nbackoff_ms = 200\nmax_backoff_ms = 2000\n`,
  );
  writeFileSync(
    join(dir, 'qemu/run.sh'),
    '#!/bin/sh\n# reference bundle: the upstream launcher, for reading; cohesix-qa builds the same line itself\n' +
      'cd "$(dirname "$0")/.." && exec qemu-system-aarch64 -accel tcg -machine virt,gic-version="$(cat image/gic-version.txt)" ' +
      '-cpu cortex-a57 -m 1024 -smp 1 -serial mon:stdio -display none -kernel image/elfloader -initrd image/cohesix-system.cpio ' +
      '-device loader,file=image/kernel.elf,addr=0x70000000,force-raw=on -device loader,file=image/rootserver,addr=0x80000000,force-raw=on\n',
    { mode: 0o755 },
  );
  return { dir, manifest, manifestSha256 };
}

/** /proc/boot as a release streams it (cohsh-console.md), for this bundle */
export function procBootLines(b: Pick<FakeBundle, 'manifestSha256'>): string[] {
  return releaseProcBootLines(REFERENCE_RELEASE.profile, b.manifestSha256);
}
