// Benchmark: spawn→marker through the harness (paused start, QMP cont, line
// capture with arrival times) against the raw `qemu … | grep -m1 <marker>`
// pipeline for the same image, alternated in one run. Prints the median ratio
// (goal ≤ 1.05) and the guest-clock spread over deterministic runs (goal 0).
//   npx tsx bench/boot/spawn-to-marker.ts [pairs=20] [deterministicRuns=10]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnManaged } from '../../harness/process/spawn.ts';
import { QemuInstance } from '../../harness/qemu/instance.ts';
import { guestMsOf } from '../../harness/boot/timeline.ts';
import { median, summarize } from '../../harness/results/stats.ts';
import { buildReferenceImages, IMAGE_BUILD_DIR } from '../../reference/boot/service.ts';

const MARKER = 'COHESIX_BOOT_OK';
const pairs = Number(process.argv[2] ?? 20);
const detRuns = Number(process.argv[3] ?? 10);
const image = join(IMAGE_BUILD_DIR, 'ok.elf');
const stateRoot = mkdtempSync(join(tmpdir(), 'cqa-bench-'));
const upstream = [
  '-machine',
  'virt',
  '-cpu',
  'cortex-a57',
  '-m',
  '1024',
  '-nographic',
  '-serial',
  'mon:stdio',
  '-kernel',
  image,
  '-no-reboot',
];

async function raw(): Promise<number> {
  const cmd = `exec </dev/null; qemu-system-aarch64 ${upstream.map((a) => `'${a}'`).join(' ')} | grep -m1 --line-buffered '${MARKER}'`;
  const t0 = performance.now();
  const p = spawnManaged('sh', ['-c', cmd], { label: 'bench:raw', stateRoot });
  const t = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('raw pipeline: marker not seen within 10 s')), 10_000);
    p.child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve(performance.now());
    });
  });
  await p.stop(200);
  return t - t0;
}

async function harness(deterministic = false): Promise<{ ms: number; guestMs?: number }> {
  const inst = await QemuInstance.start({ profile: 'cohesix-aarch64-virt', image, stateRoot, deterministic });
  try {
    const line = await inst.serial.waitFor(MARKER, { timeoutMs: 10_000 });
    return { ms: line.t - inst.times.spawn, guestMs: guestMsOf(line.text) };
  } finally {
    await inst.stop();
  }
}

await buildReferenceImages();
await raw(); // warm the page cache for both
await harness();
const rawMs: number[] = [];
const harnessMs: number[] = [];
for (let i = 0; i < pairs; i++) {
  // alternate which goes first so drift in machine load hits both alike
  if (i % 2 === 0) {
    rawMs.push(await raw());
    harnessMs.push((await harness()).ms);
  } else {
    harnessMs.push((await harness()).ms);
    rawMs.push(await raw());
  }
}
const ratios = harnessMs.map((h, i) => h / rawMs[i]!);
const fmt = (s: ReturnType<typeof summarize>) =>
  `min ${s.min.toFixed(1)}  median ${s.median.toFixed(1)}  p95 ${s.p95.toFixed(1)}  max ${s.max.toFixed(1)} ms`;
console.log(`spawn→${MARKER}, ${pairs} alternated pairs, image ${image}`);
console.log(`  raw qemu | grep -m1 : ${fmt(summarize(rawMs))}`);
console.log(`  harness (QMP, -S)   : ${fmt(summarize(harnessMs))}`);
console.log(
  `  ratio harness/raw   : median of pair ratios ${median(ratios).toFixed(3)}, ratio of medians ${(median(harnessMs) / median(rawMs)).toFixed(3)} (goal ≤ 1.05)`,
);

const guest: number[] = [];
for (let i = 0; i < detRuns; i++) {
  const r = await harness(true);
  if (r.guestMs !== undefined) guest.push(r.guestMs);
}
const g = summarize(guest);
console.log(
  `deterministic mode (-icount shift=0,align=off,sleep=off), ${detRuns} runs: guest clock at ${MARKER} min ${g.min.toFixed(6)} max ${g.max.toFixed(6)} ms, spread ${(g.max - g.min).toFixed(6)} ms (goal 0)`,
);
