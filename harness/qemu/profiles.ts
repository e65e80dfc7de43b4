// QEMU command lines. `cohesix-aarch64-virt` reproduces the upstream CI
// invocation; `generic` takes any binary, machine and arguments so x86_64
// images and images this project did not build boot the same way. The
// harness adds its own controls on top: paused start with QMP, the serial
// transport, and optionally deterministic instruction counting.

export type SerialTransport = 'stdio' | 'tcp' | 'custom';

export interface QemuLaunchSpec {
  profile: 'cohesix-aarch64-virt' | 'generic';
  /** path given to -kernel; optional for generic profiles that boot otherwise */
  image?: string;
  /** QEMU binary; defaults per profile */
  binary?: string;
  machine?: string;
  cpu?: string;
  memoryMb?: number;
  /** extra arguments appended verbatim (e.g. -bios qboot.rom, -append ...) */
  extraArgs?: string[];
  /** stdio: serial on QEMU's stdin/stdout; tcp: a TCP chardev on a free port; custom: extraArgs wire it */
  serial?: SerialTransport;
  /** -icount shift=0,align=off,sleep=off: the guest clock reads the same on every run */
  deterministic?: boolean;
}

export interface QemuCommand {
  binary: string;
  args: string[];
}

export const UPSTREAM_AARCH64_VIRT = {
  binary: 'qemu-system-aarch64',
  machine: 'virt',
  cpu: 'cortex-a57',
  memoryMb: 1024,
} as const;

export const DETERMINISTIC_ARGS = ['-icount', 'shift=0,align=off,sleep=off'];

function serialArgs(serial: SerialTransport, serialPort: number | undefined): string[] {
  if (serial === 'stdio') return ['-serial', 'mon:stdio'];
  if (serial === 'tcp') {
    if (!serialPort) throw new Error('serial transport "tcp" needs a port');
    return [
      '-monitor',
      'none',
      '-chardev',
      `socket,id=cqaser0,host=127.0.0.1,port=${serialPort},server=on,wait=off`,
      '-serial',
      'chardev:cqaser0',
    ];
  }
  return [];
}

/** The full command line: profile arguments, then serial, QMP, paused start and determinism. */
export function buildQemuCommand(
  spec: QemuLaunchSpec,
  ctl: { qmpSocket: string; serialPort?: number },
): QemuCommand {
  const serial = spec.serial ?? 'stdio';
  const args: string[] = [];
  let binary: string;
  if (spec.profile === 'cohesix-aarch64-virt') {
    if (!spec.image) throw new Error('profile cohesix-aarch64-virt needs an image (the root server ELF)');
    binary = spec.binary ?? UPSTREAM_AARCH64_VIRT.binary;
    args.push(
      '-machine',
      spec.machine ?? UPSTREAM_AARCH64_VIRT.machine,
      '-cpu',
      spec.cpu ?? UPSTREAM_AARCH64_VIRT.cpu,
      '-m',
      String(spec.memoryMb ?? UPSTREAM_AARCH64_VIRT.memoryMb),
      '-nographic',
      ...serialArgs(serial, ctl.serialPort),
      '-kernel',
      spec.image,
      '-no-reboot',
    );
  } else {
    if (!spec.binary) throw new Error('profile generic needs a QEMU binary (e.g. qemu-system-x86_64)');
    binary = spec.binary;
    if (spec.machine) args.push('-machine', spec.machine);
    if (spec.cpu) args.push('-cpu', spec.cpu);
    if (spec.memoryMb) args.push('-m', String(spec.memoryMb));
    args.push('-nographic', ...serialArgs(serial, ctl.serialPort));
    if (spec.image) args.push('-kernel', spec.image);
    args.push('-no-reboot');
  }
  args.push(...(spec.extraArgs ?? []));
  if (spec.deterministic) args.push(...DETERMINISTIC_ARGS);
  args.push('-S', '-qmp', `unix:${ctl.qmpSocket},server=on,wait=off`);
  return { binary, args };
}
