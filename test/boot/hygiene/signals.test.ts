// Process hygiene: a harness process interrupted mid-boot leaves no QEMU.
// SIGINT / SIGTERM stop QEMU through the harness's handlers; after SIGKILL the
// parent-death signal takes QEMU down within 2 s; and an instance that
// survived a killed run anyway is reaped at the next start.
import { beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnManaged } from '../../../harness/process/spawn.ts';
import { QemuInstance } from '../../../harness/qemu/instance.ts';
import { instancesDir } from '../../../harness/qemu/reap.ts';
import { ensureReferenceImages, imagePath } from '../reference-images.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'bin/cohesix-qa.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // a zombie still answers kill(0); it is dead for our purpose
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await sleep(20);
  }
  throw new Error(`waited ${ms} ms for ${what}`);
}

function qemuPids(stateRoot: string): number[] {
  const dir = instancesDir(stateRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((d) => join(dir, d, 'instance.json'))
    .filter((f) => existsSync(f))
    .map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { pid: number }).pid);
}

/** a harness process booting the hanging image: it stays mid-boot until signalled */
async function harnessMidBoot(): Promise<{
  stateRoot: string;
  harness: ReturnType<typeof spawnManaged>;
  qemuPid: number;
}> {
  const stateRoot = mkdtempSync(join(tmpdir(), 'cqa-hyg-'));
  const harness = spawnManaged(
    process.execPath,
    [CLI, 'boot', '--image', imagePath('boot-hang'), '--timeout-ms', '60000'],
    {
      label: 'harness-under-test',
      cwd: ROOT,
      env: { COHESIX_QA_STATE: stateRoot },
    },
  );
  let qemuPid = 0;
  await waitUntil(
    () => (qemuPid = qemuPids(stateRoot)[0] ?? 0) > 0 && alive(qemuPid),
    20_000,
    'the harness to start QEMU',
  );
  return { stateRoot, harness, qemuPid };
}

beforeAll(async () => {
  await ensureReferenceImages();
}, 120_000);

describe('no QEMU outlives the harness', () => {
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${sig} mid-boot: QEMU is stopped and the harness exits ${code}`, async () => {
      const { harness, qemuPid } = await harnessMidBoot();
      process.kill(harness.pid, sig);
      const exit = await harness.exited;
      expect(exit.exitCode).toBe(code);
      // the harness signals QEMU's group on its way out; the kernel may finish that kill just
      // after the harness is gone, so the bound is the project's: nothing alive 2 s later
      await waitUntil(
        () => !alive(qemuPid),
        2000,
        `QEMU ${qemuPid} to be gone after its harness exited on ${sig}`,
      );
    }, 30_000);
  }

  test('SIGKILL mid-boot: QEMU is gone within 2 s (parent-death signal)', async () => {
    const { harness, qemuPid } = await harnessMidBoot();
    process.kill(harness.pid, 'SIGKILL');
    await harness.exited;
    const killedAt = Date.now();
    await waitUntil(() => !alive(qemuPid), 2000, `QEMU ${qemuPid} to die after its harness was SIGKILLed`);
    expect(Date.now() - killedAt).toBeLessThan(2000);
  }, 30_000);

  test('an instance left by a killed run is reaped at the next start', async () => {
    const stateRoot = mkdtempSync(join(tmpdir(), 'cqa-reap-'));
    // a run that died: its owner pid is no live process
    const deadOwner = 2 ** 22 - 3; // above any pid_max default in use here; never a live process
    expect(alive(deadOwner)).toBe(false);
    // its QEMU, still running (as if the parent-death signal had been lost)
    const runDir = join(instancesDir(stateRoot), 'leftover-x');
    mkdirSync(runDir, { recursive: true });
    const qmpSocket = join(runDir, 'qmp.sock');
    const leftover = spawnManaged(
      'qemu-system-aarch64',
      ['-machine', 'virt', '-nographic', '-S', '-m', '64', '-qmp', `unix:${qmpSocket},server=on,wait=off`],
      { label: 'leftover' },
    );
    writeFileSync(
      join(runDir, 'instance.json'),
      JSON.stringify({
        pid: leftover.pid,
        ownerPid: deadOwner,
        runDir,
        qmpSocket,
        startedAt: Date.now(),
        label: 'leftover',
      }),
    );
    await waitUntil(() => existsSync(qmpSocket), 10_000, 'the leftover QEMU to come up');
    // a live run's instance in the same state root must be left alone
    const live = await QemuInstance.start({
      profile: 'generic',
      binary: 'qemu-system-aarch64',
      machine: 'virt',
      memoryMb: 64,
      stateRoot,
      autoCont: false,
    });
    try {
      const exit = await Promise.race([leftover.exited, sleep(3000).then(() => 'still running' as const)]);
      expect(exit).toMatchObject({ signal: 'SIGKILL' });
      expect(existsSync(runDir)).toBe(false);
      expect(alive(live.pid)).toBe(true);
    } finally {
      await live.stop();
      await leftover.stop();
    }
  }, 30_000);
});
