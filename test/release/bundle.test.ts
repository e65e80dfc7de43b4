// The bundle profile's checks on the reference bundle layout, and the QEMU
// command line the facts describe.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle, verifyManifest } from '../../harness/release/bundle.ts';
import { chooseAccel, releaseLaunchSpec } from '../../harness/release/launch.ts';
import { buildQemuCommand } from '../../harness/qemu/profiles.ts';
import { writeFakeBundle } from '../../reference/release/bundle.ts';
import { UsageError } from '../../harness/errors.ts';

function bundle(o: Partial<Parameters<typeof writeFakeBundle>[1]> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cqa-bundle-'));
  const elf = join(dir, 'guest.elf');
  writeFileSync(elf, Buffer.from('\x7fELF reference guest stand-in for layout tests'));
  writeFakeBundle(join(dir, 'b'), { elfloader: elf, gicVersion: '2', ...o });
  return join(dir, 'b');
}

describe('release bundle', () => {
  it('reads the layout and verifies every file against manifest.json', () => {
    const b = readBundle(bundle());
    expect(b.gicVersion).toBe('2');
    expect(b.manifest.binaries.map((x) => x.name)).toEqual([
      'elfloader',
      'kernel.elf',
      'rootserver',
      'cohesix-system.cpio',
    ]);
    expect(verifyManifest(b)).toEqual({ ok: true, checked: 4, mismatches: [] });
  });

  it('names the file whose sha256 changed after the manifest was written', () => {
    const v = verifyManifest(readBundle(bundle({ tamper: 'rootserver' })));
    expect(v.ok).toBe(false);
    expect(v.mismatches).toEqual([expect.objectContaining({ path: 'rootserver', problem: 'sha256' })]);
  });

  it('names a file whose size differs and one that is missing', () => {
    const dir = bundle();
    appendFileSync(join(dir, 'image/kernel.elf'), 'x');
    rmSync(join(dir, 'image/cohesix-system.cpio'));
    const v = verifyManifest(readBundle(dir));
    expect(v.mismatches.map((m) => `${m.path}:${m.problem}`)).toEqual([
      'kernel.elf:size',
      'cohesix-system.cpio:missing',
    ]);
  });

  it('refuses a folder that is not a bundle, naming the missing file and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cqa-notbundle-'));
    expect(() => readBundle(dir)).toThrow(UsageError);
    expect(() => readBundle(dir)).toThrow(/image\/gic-version.txt is missing[\s\S]*fix: point --bundle/);
    expect(() => readBundle(join(dir, 'nope'))).toThrow(/is not a directory/);
  });

  it('refuses a gic-version.txt that is not 2 or 3 and a manifest that is not JSON', () => {
    const dir = bundle();
    writeFileSync(join(dir, 'image/gic-version.txt'), 'four\n');
    expect(() => readBundle(dir)).toThrow(/gic-version.txt reads "four"/);
    writeFileSync(join(dir, 'image/gic-version.txt'), '3\n');
    writeFileSync(join(dir, 'image/manifest.json'), '{');
    expect(() => readBundle(dir)).toThrow(/manifest.json is not JSON/);
  });

  it('builds the upstream command line: GIC from the bundle, loaders, console forwarded to the host port', () => {
    const b = readBundle(bundle({ gicVersion: '3' }));
    const spec = releaseLaunchSpec(b, { accel: 'tcg', consolePort: 40123 });
    const cmd = buildQemuCommand(spec, { qmpSocket: '/tmp/q.sock' });
    const line = [cmd.binary, ...cmd.args].join(' ');
    expect(cmd.binary).toBe('qemu-system-aarch64');
    for (const part of [
      '-machine virt,gic-version=3',
      '-cpu cortex-a57',
      '-m 1024',
      '-accel tcg',
      '-serial mon:stdio',
      `-kernel ${b.elfloader}`,
      `-initrd ${b.cpio}`,
      `loader,file=${b.kernel},addr=0x70000000,force-raw=on`,
      `loader,file=${b.rootserver},addr=0x80000000,force-raw=on`,
      'hostfwd=tcp:127.0.0.1:40123-:31337',
      'virtio-net-device,netdev=net0,mac=52:55:00:d1:55:01,bus=virtio-mmio-bus.0',
    ])
      expect(line).toContain(part);
  });

  it('chooses the accelerator like upstream, overridable', () => {
    expect(chooseAccel('tcg')).toBe('tcg');
    expect(chooseAccel('kvm')).toBe('kvm');
    // this x86 host has no aarch64 kvm
    if (process.arch === 'x64') expect(chooseAccel()).toBe('tcg');
  });
});
