// The reference release bundle booted for real in QEMU: milestones in order,
// a wrong GIC dies at once with the fault line, a mismatched bundle is not
// booted. Three short boots.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelease } from '../../harness/release/start.ts';
import { writeFakeBundle } from '../../reference/release/bundle.ts';
import { IMAGE_BUILD_DIR, buildReferenceImages } from '../../reference/boot/service.ts';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});
beforeAll(async () => {
  await buildReferenceImages();
}, 120_000);

async function boot(o: { gicVersion: '2' | '3'; tamper?: 'archive' }) {
  const dir = mkdtempSync(join(tmpdir(), 'cqa-relboot-'));
  writeFakeBundle(join(dir, 'b'), { elfloader: join(IMAGE_BUILD_DIR, 'release-gic2.elf'), ...o });
  const started = await startRelease(
    { bundle: join(dir, 'b'), accel: 'tcg' },
    { stateRoot: join(dir, 'state') },
  );
  stops.push(started.stop);
  return started.resources;
}

describe('release bundle boot (reference bundle, real QEMU)', () => {
  it('reaches the console with the seven milestones in order and no fault lines', async () => {
    const r = await boot({ gicVersion: '2' });
    expect(r.boot.error).toBeUndefined();
    expect(r.boot.timeline.stages.map((s) => [s.name, s.seen])).toEqual(
      r.milestones.map((m) => [m.name, true]),
    );
    expect(r.boot.timeline.orderViolations).toEqual([]);
    expect(r.boot.faults).toEqual([]);
    expect(r.platform).toBe('qemu-tcg');
    expect(r.boot.command).toContain('gic-version=2');
  }, 30_000);

  it('a GIC the kernel was not built for ends the boot at once with the fault line', async () => {
    const t0 = Date.now();
    const r = await boot({ gicVersion: '3' });
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(r.boot.error).toMatch(/boot died: fault line "\[.*\] KERNEL DATA ABORT!"/);
    expect(r.boot.faults.map((f) => f.text.replace(/^\[[^\]]*\]\s*/, ''))).toContain('KERNEL DATA ABORT!');
    expect(r.boot.timeline.stages.find((s) => s.name === 'console_ready')!.seen).toBe(false);
  }, 30_000);

  it('a bundle that does not match its manifest is not booted, naming the archived entry', async () => {
    const r = await boot({ gicVersion: '2', tamper: 'archive' });
    expect(r.boot.booted).toBe(false);
    expect(r.console).toBeNull();
    expect(r.consoleMissing).toMatch(
      /^the bundle did not boot to its console \(not booted: the bundle does not match/,
    );
    expect(r.boot.error).toMatch(
      /not booted: the bundle does not match its manifest — cohesix\/bin\/root-task \(root-task\): manifest.json says sha256 [0-9a-f]{64}, the archived file hashes to/,
    );
  }, 30_000);
});
