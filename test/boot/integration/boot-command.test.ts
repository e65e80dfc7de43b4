// The `boot` command end to end, as a user runs it: a foreign image (x86_64
// microvm PVH kernel built here with the host gcc), the reference image, and
// the exit codes for product, usage and infrastructure failures.
import { beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../../harness/process/spawn.ts';
import { ensureReferenceImages, imagePath } from '../reference-images.ts';
import { loadSchemaValidator } from '../schema.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const PVH = resolve(import.meta.dirname, '../fixtures/x86-pvh');
const work = mkdtempSync(join(tmpdir(), 'cqa-bootcmd-'));
const foreign = join(work, 'pvh.elf');

function boot(args: string[]) {
  return runCommand(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'harness/boot/cli.ts'), 'boot', ...args],
    {
      timeoutMs: 60_000,
      cwd: ROOT,
      env: { COHESIX_QA_STATE: join(work, 'state') },
    },
  );
}

beforeAll(async () => {
  await ensureReferenceImages();
  const cc = await runCommand(
    'gcc',
    [
      '-m32',
      '-nostdlib',
      '-static',
      '-Wl,-T,' + join(PVH, 'pvh.ld'),
      '-Wl,--build-id=none',
      '-Wl,--no-warn-rwx-segments',
      '-o',
      foreign,
      join(PVH, 'pvh.S'),
    ],
    { timeoutMs: 60_000 },
  );
  if (cc.exitCode !== 0)
    throw new Error(`building the x86 PVH test image needs the host gcc: ${cc.stderr || cc.spawnError}`);
}, 120_000);

describe('cohesix-qa boot', () => {
  test('boots an image this project did not build (x86_64 microvm) and prints its timeline', async () => {
    const json = join(work, 'pvh-report.json');
    const r = await boot([
      '--image',
      foreign,
      '--qemu',
      'qemu-system-x86_64',
      '--machine',
      'microvm',
      '--memory',
      '64',
      '--marker',
      'up=X86 PVH IMAGE UP',
      '--runs',
      '2',
      '--budget-ms',
      '5000',
      '--json',
      json,
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^up\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d\s+≤5000\s+boot ✓$/m);
    expect(r.stdout).toMatch(
      /cold boot to up over 2 run\(s\): min [\d.]+ ms, median [\d.]+ ms, p95 [\d.]+ ms/,
    );
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect((await loadSchemaValidator('boot-report'))(report)).toBe(true);
    expect(report.qemu).toEqual({ binary: 'qemu-system-x86_64', profile: 'generic', deterministic: false });
    expect(report.runs).toHaveLength(2);
  }, 60_000);

  test('the reference image passes; boot-slow exceeds the budget (exit 1); a tampered image is refused before boot', async () => {
    const ok = await boot(['--image', imagePath('ok'), '--runs', '2']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/boot_ok .* boot ✓/);
    const slow = await boot(['--image', imagePath('boot-slow')]);
    expect(slow.exitCode).toBe(1);
    expect(slow.stderr).toMatch(
      /median cold boot to "boot_ok" is [\d.]+ ms over 1 sample, over the budget --budget-ms = 200 ms/,
    );
    const key = join(resolve(imagePath('ok'), '..'), 'test-signing-key.pub.pem');
    const tampered = await boot(['--image', imagePath('boot-tampered'), '--public-key', key]);
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stdout).toMatch(
      /signature image-signature: FAILED — boot-tampered\.elf does not match its signature/,
    );
    expect(tampered.stdout).not.toMatch(/run 1\//);
  }, 60_000);

  test('usage and infrastructure errors have their own exit codes', async () => {
    const usage = await boot(['--image', imagePath('ok'), '--marker', '(unclosed']);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toMatch(/--marker "\(unclosed": not a valid regular expression/);
    const infra = await boot(['--image', imagePath('ok'), '--qemu', '/nonexistent/qemu-system-aarch64']);
    expect(infra.exitCode).toBe(3);
    expect(infra.stderr).toMatch(/^infrastructure: /);
  }, 60_000);
});
