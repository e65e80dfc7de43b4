// The QEMU command line a release bundle's facts describe (the upstream
// qemu/run.sh, in effect), as a launch spec for the boot area's QEMU driver.
// The accelerator is chosen like upstream: kvm where usable, else tcg
// (hvf only on macOS hosts), overridable. The guest's TCP console (31337) is
// forwarded to a free host port.
import { accessSync, constants } from 'node:fs';
import { arch, platform } from 'node:os';
import type { QemuLaunchSpec } from '../qemu/profiles.ts';
import type { ReleaseBundle } from './bundle.ts';

export const GUEST_CONSOLE_PORT = 31337;
export type Accel = 'kvm' | 'hvf' | 'tcg';

/** kvm needs an aarch64 host with /dev/kvm usable; hvf an Apple silicon host */
export function chooseAccel(override?: string): Accel {
  if (override === 'kvm' || override === 'hvf' || override === 'tcg') return override;
  if (platform() === 'darwin' && arch() === 'arm64') return 'hvf';
  if (arch() === 'arm64') {
    try {
      accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
      return 'kvm';
    } catch {
      return 'tcg';
    }
  }
  return 'tcg';
}

export interface ReleaseLaunchOptions {
  accel: Accel;
  /** host port the guest console (31337) is forwarded to */
  consolePort: number;
  binary?: string;
  memoryMb?: number;
}

export function releaseLaunchSpec(b: ReleaseBundle, o: ReleaseLaunchOptions): QemuLaunchSpec {
  const extra: string[] = ['-accel', o.accel, '-display', 'none'];
  if (b.cpio) extra.push('-initrd', b.cpio);
  if (b.kernel) extra.push('-device', `loader,file=${b.kernel},addr=0x70000000,force-raw=on`);
  if (b.rootserver) extra.push('-device', `loader,file=${b.rootserver},addr=0x80000000,force-raw=on`);
  extra.push(
    '-global',
    'virtio-mmio.force-legacy=off',
    '-netdev',
    `user,id=net0,hostfwd=tcp:127.0.0.1:${o.consolePort}-:${GUEST_CONSOLE_PORT}`,
    '-device',
    'virtio-net-device,netdev=net0,mac=52:55:00:d1:55:01,bus=virtio-mmio-bus.0',
  );
  return {
    profile: 'generic',
    binary: o.binary ?? 'qemu-system-aarch64',
    machine: `virt,gic-version=${b.gicVersion}`,
    cpu: 'cortex-a57',
    memoryMb: o.memoryMb ?? 1024,
    image: b.elfloader,
    extraArgs: extra,
  };
}
