// The reference release bundle: the layout releases ship, generated into the
// run's state dir. image/elfloader is the reference guest image's release
// variant (reference/image, -DRELEASE_GIC=2): it prints the release
// milestones for real in QEMU and stops with `KERNEL DATA ABORT!` when the
// machine's GIC is not the one it was built for. kernel.elf, rootserver and
// the CPIO are small stand-ins (loaded where run.sh loads them, never run).
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReleaseManifest } from '../../harness/release/bundle.ts';

export const REFERENCE_RELEASE = {
  release: '0.3.0-alpha-reference',
  profile: 'release',
  target: 'aarch64-virt',
};

export interface FakeBundleOptions {
  /** the guest image to ship as image/elfloader */
  elfloader: string;
  /** what image/gic-version.txt says (the kernel is built for 2) */
  gicVersion: '2' | '3';
  /** change a shipped file after the manifest was written (release-manifest-mismatch) */
  tamper?: 'rootserver';
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export function writeFakeBundle(
  dir: string,
  o: FakeBundleOptions,
): { dir: string; manifest: ReleaseManifest } {
  mkdirSync(join(dir, 'image'), { recursive: true });
  mkdirSync(join(dir, 'qemu'), { recursive: true });
  copyFileSync(o.elfloader, join(dir, 'image/elfloader'));
  // stand-ins with random content, so a stale bundle never matches a new manifest by accident
  writeFileSync(
    join(dir, 'image/kernel.elf'),
    Buffer.concat([Buffer.from('reference seL4 kernel stand-in, GICv2\n'), randomBytes(2048)]),
  );
  writeFileSync(
    join(dir, 'image/rootserver'),
    Buffer.concat([Buffer.from('reference root task stand-in\n'), randomBytes(2048)]),
  );
  writeFileSync(
    join(dir, 'image/cohesix-system.cpio'),
    Buffer.concat([Buffer.from('070701'), randomBytes(1024)]),
  );
  writeFileSync(join(dir, 'image/gic-version.txt'), `${o.gicVersion}\n`);
  const binaries = ['elfloader', 'kernel.elf', 'rootserver', 'cohesix-system.cpio'].map((name) => {
    const bytes = readFileSync(join(dir, 'image', name));
    return { name, path: name, size: statSync(join(dir, 'image', name)).size, sha256: sha(bytes) };
  });
  const manifest: ReleaseManifest = {
    profile: REFERENCE_RELEASE.profile,
    target: REFERENCE_RELEASE.target,
    binaries,
  };
  writeFileSync(join(dir, 'image/manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(
    join(dir, 'qemu/run.sh'),
    '#!/bin/sh\n# reference bundle: the upstream launcher, for reading; cohesix-qa builds the same line itself\n' +
      'cd "$(dirname "$0")/.." && exec qemu-system-aarch64 -accel tcg -machine virt,gic-version="$(cat image/gic-version.txt)" ' +
      '-cpu cortex-a57 -m 1024 -smp 1 -serial mon:stdio -display none -kernel image/elfloader -initrd image/cohesix-system.cpio ' +
      '-device loader,file=image/kernel.elf,addr=0x70000000,force-raw=on -device loader,file=image/rootserver,addr=0x80000000,force-raw=on\n',
    { mode: 0o755 },
  );
  if (o.tamper === 'rootserver') {
    // same size, one byte changed after the manifest was written: only the sha256 can tell
    const f = join(dir, 'image/rootserver');
    const b = readFileSync(f);
    b[b.length - 1] = b[b.length - 1]! ^ 0xff;
    writeFileSync(f, b);
  }
  return { dir, manifest };
}
