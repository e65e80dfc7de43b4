// Real QEMU boots of the reference images through the harness's QEMU driver.
import { beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuInstance } from '../../../harness/qemu/instance.ts';
import { coldBoot, coldBoots } from '../../../harness/boot/cold-boot.ts';
import { defaultTimelineConfig } from '../../../harness/boot/timeline.ts';
import { ConsoleDriver } from '../../../harness/console/driver.ts';
import { TapStream } from '../../../harness/boot/tap-stream.ts';
import { parseElf64 } from '../../../harness/boot/elf.ts';
import { checkLayout } from '../../../harness/boot/layout.ts';
import { verifyArtifact } from '../../../harness/boot/signature.ts';
import { readFileSync } from 'node:fs';
import { BUILD_DIR, ensureReferenceImages, imagePath } from '../reference-images.ts';
import { loadSchemaValidator } from '../schema.ts';

const stateRoot = mkdtempSync(join(tmpdir(), 'cqa-boot-it-'));
const launch = (variant: string, extra: object = {}) => ({
  profile: 'cohesix-aarch64-virt' as const,
  image: imagePath(variant),
  ...extra,
});

beforeAll(async () => {
  await ensureReferenceImages();
}, 120_000);

describe('cold boots of the reference image', () => {
  test('the ok image reaches every stage in order, stamped by the guest clock, without faults', async () => {
    const r = await coldBoot({
      launch: launch('ok'),
      stateRoot,
      timeline: defaultTimelineConfig(),
      timeoutMs: 5000,
    });
    expect(r.error).toBeUndefined();
    expect(r.timeline.stages.map((s) => s.seen)).toEqual([true, true, true, true]);
    expect(r.timeline.inOrder).toBe(true);
    const host = r.timeline.stages.map((s) => s.hostMs!);
    expect([...host].sort((a, b) => a - b)).toEqual(host);
    expect(r.timeline.host.spawnMs).toBeLessThan(0);
    expect(r.timeline.bootGuestMs).toBeGreaterThan(0);
    // the guest clock starts at cont, so it cannot be ahead of the host's reading
    expect(r.timeline.bootGuestMs).toBeLessThanOrEqual(r.timeline.bootMs! + 1);
    expect(r.timeline.bootMs).toBeGreaterThan(0);
    expect(r.faults).toEqual([]);
  });

  test('N cold boots give a report that validates against the schema', async () => {
    const validate = await loadSchemaValidator('boot-report');
    const { report } = await coldBoots(3, {
      launch: launch('ok'),
      stateRoot,
      timeline: defaultTimelineConfig(),
      timeoutMs: 5000,
    });
    expect(report.runs).toHaveLength(3);
    expect(report.stats!.n).toBe(3);
    expect(report.stats!.min).toBeLessThanOrEqual(report.stats!.median);
    expect(report.image!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(validate(JSON.parse(JSON.stringify(report)))).toBe(true);
  });

  test('deterministic mode: the guest clock reads the same on every run', async () => {
    const cfg = defaultTimelineConfig();
    const a = await coldBoot({
      launch: launch('ok', { deterministic: true }),
      stateRoot,
      timeline: cfg,
      timeoutMs: 5000,
    });
    const b = await coldBoot({
      launch: launch('ok', { deterministic: true }),
      stateRoot,
      timeline: cfg,
      timeoutMs: 5000,
    });
    expect(a.timeline.stages.map((s) => s.guestMs)).toEqual(b.timeline.stages.map((s) => s.guestMs));
    expect(a.timeline.bootGuestMs).toBeGreaterThan(0);
  });

  test('defect variants show up where they should: slow, fault, hang, out of order', async () => {
    const cfg = defaultTimelineConfig();
    const slow = await coldBoot({ launch: launch('boot-slow'), stateRoot, timeline: cfg, timeoutMs: 5000 });
    expect(slow.timeline.bootGuestMs).toBeGreaterThanOrEqual(300);
    expect(slow.timeline.bootMs).toBeGreaterThan(200);
    expect(slow.timeline.withinBudget).toBe(false);

    const fault = await coldBoot({ launch: launch('boot-fault'), stateRoot, timeline: cfg, timeoutMs: 5000 });
    expect(fault.timeline.bootMs).toBeDefined();
    expect(fault.faults.map((f) => f.text)).toEqual([
      expect.stringMatching(/^data abort at pc 0x[0-9a-f]+ far 0x000000000c000000/),
    ]);

    const hang = await coldBoot({ launch: launch('boot-hang'), stateRoot, timeline: cfg, timeoutMs: 400 });
    expect(hang.timeline.bootMs).toBeUndefined();
    expect(hang.error).toMatch(/boot stage "boot_ok".*not seen within 400 ms/);
    expect(hang.error).toContain('ROOTSERVER ONLINE');

    const order = await coldBoot({
      launch: launch('boot-markers-out-of-order'),
      stateRoot,
      timeline: cfg,
      timeoutMs: 5000,
    });
    expect(order.timeline.inOrder).toBe(false);
  });
});

describe('a running reference guest', () => {
  test('on-target TAP streams from the serial line; the console answers framed commands (stdio serial)', async () => {
    const inst = await QemuInstance.start({ ...launch('ok'), stateRoot, autoCont: false });
    try {
      const tap = new TapStream();
      inst.serial.onLine((l) => tap.feed(l.text));
      await inst.cont();
      const summary = await Promise.race([
        tap.done,
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('TAP did not complete in 5 s')), 5000)),
      ]);
      expect(summary.points.map((p) => p.ok)).toEqual([true, true, true, true, true, true]);
      expect(summary.points.map((p) => p.name)).toContain('syscall numbers have the right sign');
      const console = new ConsoleDriver({ capture: inst.serial, write: (s) => inst.write(s) });
      expect((await console.run('cat /srv/cohrole')).lines).toEqual(['QueenPrimary']);
      const boot = (await console.run('cat /proc/boot')).lines;
      expect(boot[0]).toBe('clock_hz 62500000');
      expect(boot.slice(1).map((l) => l.split(' ')[0])).toEqual([
        'rootserver_us',
        'boot_ok_us',
        'init_us',
        'shell_us',
      ]);
      expect((await console.run('cat /nope')).lines).toEqual(['cat: /nope: file does not exist']);
      await expect(console.run('a; b')).rejects.toThrow(/one command without ";"/);
    } finally {
      await inst.stop();
    }
  });

  test('serial over a TCP chardev: the harness can detach and a console connects to the port', async () => {
    const inst = await QemuInstance.start({ ...launch('ok'), stateRoot, serial: 'tcp' });
    try {
      await inst.serial.waitFor(/self-tests/, { timeoutMs: 5000 });
      inst.detachSerial();
      const console = await ConsoleDriver.connectTcp('127.0.0.1', inst.serialPort!, { timeoutMs: 3000 });
      try {
        expect((await console.run('cat /srv/cohrole', { timeoutMs: 3000 })).lines).toEqual(['QueenPrimary']);
      } finally {
        console.close();
      }
    } finally {
      await inst.stop();
    }
  });

  test('a bounded console wait names the command and the last lines', async () => {
    const inst = await QemuInstance.start({ ...launch('boot-hang'), stateRoot });
    try {
      await inst.serial.waitFor('ROOTSERVER ONLINE', { timeoutMs: 5000 });
      const console = new ConsoleDriver({ capture: inst.serial, write: (s) => inst.write(s) });
      await expect(console.run('cat /srv/cohrole', { timeoutMs: 200 })).rejects.toThrow(
        /"cat \/srv\/cohrole" got no framed answer: .*not seen within 200 ms[\s\S]*ROOTSERVER ONLINE/,
      );
    } finally {
      await inst.stop();
    }
  });
});

describe('the generic profile and bad set-ups', () => {
  test('any QEMU binary and machine: x86_64 microvm starts paused, runs on cont, stops', async () => {
    const inst = await QemuInstance.start({
      profile: 'generic',
      binary: 'qemu-system-x86_64',
      machine: 'microvm',
      memoryMb: 64,
      stateRoot,
      autoCont: false,
    });
    try {
      expect(await inst.qmpExecute('query-status')).toMatchObject({ status: 'prelaunch' });
      await inst.cont();
      expect(await inst.qmpExecute('query-status')).toMatchObject({ running: true });
    } finally {
      await inst.stop();
    }
    expect((await inst.exited).exitCode).toBe(0); // QMP quit, not a kill
  });

  test('a missing QEMU binary or image is an infrastructure error with a fix', async () => {
    await expect(
      QemuInstance.start({ profile: 'generic', binary: '/nonexistent/qemu-system-aarch64', stateRoot }),
    ).rejects.toMatchObject({ name: 'InfraError' });
    const err = (await QemuInstance.start({
      ...launch('ok'),
      image: join(BUILD_DIR, 'missing.elf'),
      stateRoot,
    }).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('InfraError');
    expect(err.message).toMatch(/missing\.elf/);
  });
});

describe('ELF layout and signatures of the built images', () => {
  test('ok is inside virt RAM; boot-bad-layout has a LOAD segment at 0x80000000', () => {
    expect(checkLayout(parseElf64(readFileSync(imagePath('ok'))))).toEqual([]);
    const bad = checkLayout(parseElf64(readFileSync(imagePath('boot-bad-layout'))));
    expect(bad.map((v) => v.kind)).toEqual(['segment-outside-ranges']);
    expect(bad[0]!.message).toContain('0x80000000');
  });

  test('the set-up signs every image; boot-tampered fails before boot', () => {
    const publicKey = join(BUILD_DIR, 'test-signing-key.pub.pem');
    const manifest = join(BUILD_DIR, 'SHA256SUMS');
    expect(verifyArtifact({ image: imagePath('ok'), publicKey, manifest }).ok).toBe(true);
    expect(verifyArtifact({ image: imagePath('boot-slow'), publicKey, manifest }).ok).toBe(true);
    const t = verifyArtifact({ image: imagePath('boot-tampered'), publicKey, manifest });
    expect(t.checks.map((c) => [c.name, c.ok])).toEqual([
      ['image-signature', false],
      ['manifest-signature', true],
      ['manifest-hash', false],
    ]);
  });
});
