// The bundle profile's checks: the layout, the manifest checked inside the
// CPIO archive (archives made by the system cpio, and the reference bundle's),
// and the QEMU command line the facts describe.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../../harness/release/bundle.ts';
import { verifyManifest } from '../../harness/release/manifest-check.ts';
import { CpioArchive } from '../../harness/release/cpio.ts';
import { chooseAccel, releaseLaunchSpec } from '../../harness/release/launch.ts';
import { buildQemuCommand } from '../../harness/qemu/profiles.ts';
import { writeFakeBundle } from '../../reference/release/bundle.ts';
import { UsageError } from '../../harness/errors.ts';
import { systemCpio } from './system-cpio.ts';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function bundle(o: Partial<Parameters<typeof writeFakeBundle>[1]> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cqa-bundle-'));
  const elf = join(dir, 'guest.elf');
  writeFileSync(elf, Buffer.from('\x7fELF reference guest stand-in for layout tests'));
  writeFakeBundle(join(dir, 'b'), { elfloader: elf, gicVersion: '2', ...o });
  return join(dir, 'b');
}

const PAYLOAD = {
  'cohesix/bin/root-task': randomBytes(9_999),
  'cohesix/bin/nine-door': randomBytes(4_097),
  'cohesix/manifest.json': Buffer.from('{"schema":"1.5"}\n'),
};

/** a bundle laid out like a real one, its image/cohesix-system.cpio packed by the system `cpio -o -H newc` */
function systemBundle(): string {
  const dir = bundle();
  const tree = mkdtempSync(join(tmpdir(), 'cqa-payload-'));
  for (const [p, data] of Object.entries(PAYLOAD)) {
    mkdirSync(join(tree, p, '..'), { recursive: true });
    writeFileSync(join(tree, p), data);
  }
  writeFileSync(join(dir, 'image/cohesix-system.cpio'), systemCpio(tree));
  writeFileSync(join(dir, 'image/rootserver'), PAYLOAD['cohesix/bin/root-task']);
  const binaries = ['cohesix/bin/root-task', 'cohesix/bin/nine-door'].map((path) => ({
    name: path.split('/').pop()!,
    path,
    size: PAYLOAD[path as keyof typeof PAYLOAD].length,
    sha256: sha(PAYLOAD[path as keyof typeof PAYLOAD]),
  }));
  writeFileSync(
    join(dir, 'image/manifest.json'),
    JSON.stringify({ profile: 'virt-aarch64', target: 'aarch64', binaries }),
  );
  return dir;
}

const problems = (dir: string): string[] => verifyManifest(readBundle(dir)).mismatches.map((m) => m.message);

describe('release bundle: the manifest is checked inside the CPIO archive', () => {
  it('passes a bundle whose archive the system cpio made', () => {
    const dir = systemBundle();
    expect(verifyManifest(readBundle(dir))).toEqual({ ok: true, checked: 2, mismatches: [] });
  });

  it('names the archived entry whose bytes changed after the manifest was written', () => {
    const dir = systemBundle();
    const f = join(dir, 'image/cohesix-system.cpio');
    const e = CpioArchive.open(f).get('cohesix/bin/nine-door')!;
    const bytes = readFileSync(f);
    bytes[e.dataOffset + 7] = bytes[e.dataOffset + 7]! ^ 0x20;
    writeFileSync(f, bytes);
    const v = verifyManifest(readBundle(dir));
    expect(v.ok).toBe(false);
    expect(v.mismatches).toEqual([
      expect.objectContaining({ path: 'cohesix/bin/nine-door', name: 'nine-door', problem: 'sha256' }),
    ]);
    expect(v.mismatches[0]!.message).toMatch(
      /^cohesix\/bin\/nine-door \(nine-door\): manifest.json says sha256 [0-9a-f]{64}, the archived file hashes to [0-9a-f]{64}$/,
    );
  });

  it('names an entry the archive does not hold, one whose size differs, and one that is a directory', () => {
    const dir = systemBundle();
    const m = JSON.parse(readFileSync(join(dir, 'image/manifest.json'), 'utf8')) as {
      binaries: { name: string; path: string; size: number; sha256: string }[];
    };
    m.binaries.push({ name: 'worker-gpu', path: 'cohesix/bin/worker-gpu', size: 1, sha256: 'a'.repeat(64) });
    m.binaries.push({ name: 'bin', path: 'cohesix/bin', size: 0, sha256: 'a'.repeat(64) });
    m.binaries[1]!.size += 1;
    writeFileSync(join(dir, 'image/manifest.json'), JSON.stringify(m));
    expect(problems(dir)).toEqual([
      'cohesix/bin/nine-door (nine-door): manifest.json says 4098 bytes, image/cohesix-system.cpio holds 4097',
      'cohesix/bin/worker-gpu (worker-gpu): manifest.json lists it, but image/cohesix-system.cpio holds no such entry',
      'cohesix/bin (bin): is a directory in image/cohesix-system.cpio, manifest.json lists a file',
    ]);
  });

  it('refuses a truncated archive and a file that is not an archive, naming the offset', () => {
    const dir = systemBundle();
    const f = join(dir, 'image/cohesix-system.cpio');
    const e = CpioArchive.open(f).get('cohesix/bin/root-task')!;
    truncateSync(f, e.dataOffset + 10);
    expect(problems(dir)).toEqual([
      `image/cohesix-system.cpio: truncated archive at byte ${e.dataOffset}: entry cohesix/bin/root-task claims 9999 bytes of data, the archive has 10 left`,
    ]);
    writeFileSync(
      f,
      Buffer.from('not a cpio archive, just text that is long enough for a header '.repeat(3)),
    );
    expect(problems(dir)).toEqual([
      'image/cohesix-system.cpio: not a CPIO newc archive at byte 0: it starts with "not a ", not the newc magic "070701"',
    ]);
    rmSync(f);
    expect(problems(dir)).toEqual([
      'image/cohesix-system.cpio: missing from the bundle; manifest.json names files inside it',
    ]);
  });

  it('checks that image/rootserver is the archived root task', () => {
    const dir = systemBundle();
    writeFileSync(join(dir, 'image/rootserver'), randomBytes(9_999));
    expect(problems(dir)).toEqual([
      expect.stringMatching(
        /^image\/rootserver: differs from the archived cohesix\/bin\/root-task \(9999 bytes, sha256 [0-9a-f]{64}; the archive holds 9999 bytes, sha256 [0-9a-f]{64}\)$/,
      ),
    ]);
    rmSync(join(dir, 'image/rootserver'));
    expect(problems(dir)).toEqual([
      'image/rootserver: missing from the bundle (it must equal the archived cohesix/bin/root-task)',
    ]);
  });

  it('the reference bundle is laid out like a real one and its tamper modes fail it naming the entry', () => {
    const ok = readBundle(bundle());
    expect(ok.manifest.binaries.map((x) => x.path)).toEqual([
      'cohesix/bin/root-task',
      'cohesix/bin/nine-door',
      'cohesix/bin/worker-heartbeat',
    ]);
    expect(verifyManifest(ok)).toEqual({ ok: true, checked: 3, mismatches: [] });
    expect(
      verifyManifest(readBundle(bundle({ tamper: 'archive' }))).mismatches.map(
        (m) => `${m.path}:${m.problem}`,
      ),
    ).toEqual(['cohesix/bin/root-task:sha256', 'image/rootserver:rootserver']);
    expect(
      verifyManifest(readBundle(bundle({ tamper: 'rootserver' }))).mismatches.map(
        (m) => `${m.path}:${m.problem}`,
      ),
    ).toEqual(['image/rootserver:rootserver']);
  });

  it('refuses a manifest entry whose size or sha256 is not a size or a hash', () => {
    const dir = bundle();
    const m = JSON.parse(readFileSync(join(dir, 'image/manifest.json'), 'utf8')) as {
      binaries: { sha256: string; size: number }[];
    };
    m.binaries[0]!.sha256 = 'abc';
    writeFileSync(join(dir, 'image/manifest.json'), JSON.stringify(m));
    expect(() => readBundle(dir)).toThrow(
      /binaries\[0\] \(root-task\): size must be a whole number of bytes and sha256 64 hex digits/,
    );
  });
});

describe('release bundle', () => {
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
