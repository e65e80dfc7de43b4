// Benchmark: `trace diff` against GNU `diff` on two synthetic traces with 1 %
// deviations, at two sizes side by side, to show time and peak RSS (and that our
// RSS stays flat while the trace grows).
//
//   npx tsx bench/trace/trace-diff.ts                       # 16 MB and 64 MB, 1 run each
//   npx tsx bench/trace/trace-diff.ts --sizes 200,1000 --runs 3   # the issue's 1 GB case (minutes, ~4 GB disk)
//
// Each tool runs as its own process under /usr/bin/time, so peak RSS is that
// process's alone; figures are medians over --runs. Inputs are cached under
// .cohesix-qa/bench/trace/ (gitignored) and reused when present.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../harness/process/spawn.ts';
import { writeTracePair } from './synth.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA = join(ROOT, '.cohesix-qa', 'bench', 'trace');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const sizesMb = arg('sizes', '16,64')
  .split(',')
  .map((s) => Number(s.trim()));
const runs = Number(arg('runs', '1'));
if (sizesMb.some((s) => !Number.isFinite(s) || s <= 0) || !Number.isInteger(runs) || runs < 1) {
  console.error(
    'usage: tsx bench/trace/trace-diff.ts [--sizes MB,MB] [--runs N]   (e.g. --sizes 16,64 --runs 3)',
  );
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  console.error('/usr/bin/time is needed to measure peak RSS (apt-get install time)');
  process.exit(3);
}

interface Sample {
  /** wall clock */
  seconds: number;
  /** user + system CPU: steadier than wall time on a shared machine */
  cpu: number;
  rssMb: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timed(file: string, args: string[]): Promise<Sample & { stdout: string }> {
  // %e elapsed s, %U user s, %S system s, %M peak RSS in KB, on the last line of stderr
  const r = await runCommand('/usr/bin/time', ['-f', 'TIME %e %U %S %M', file, ...args], {
    timeoutMs: 30 * 60_000,
    cwd: ROOT,
  });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  if (!m)
    throw new Error(
      `${file} ${args.join(' ')}: no timing in stderr (exit ${r.exitCode}): ${r.stderr.slice(-500)}`,
    );
  return {
    seconds: Number(m[1]),
    cpu: Number(m[2]) + Number(m[3]),
    rssMb: Number(m[4]) / 1024,
    stdout: r.stdout,
  };
}

interface Row {
  sizeMb: number;
  events: number;
  deviations: number;
  ours: Sample;
  gnu: Sample;
  found: number;
}

const rows: Row[] = [];
mkdirSync(DATA, { recursive: true });
for (const size of sizesMb) {
  const a = join(DATA, `a-${size}mb.log`);
  const b = join(DATA, `b-${size}mb.log`);
  let synth = { events: 0, deviations: 0 };
  if (!existsSync(a) || !existsSync(b) || statSync(a).size < size * 1e6) {
    process.stderr.write(`generating ${size} MB trace pair...\n`);
    synth = await writeTracePair(a, b, size * 1e6, 0.01);
  }
  const ours: Sample[] = [];
  const gnu: Sample[] = [];
  let found = 0;
  let events = synth.events;
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`${size} MB run ${i + 1}/${runs}: trace diff...\n`);
    const o = await timed(process.execPath, ['--import', 'tsx', 'bench/trace/run-diff.ts', a, b]);
    const summary = JSON.parse(o.stdout.trim().split('\n').pop()!) as { records: number; eventsA: number };
    found = summary.records;
    events = summary.eventsA;
    ours.push(o);
    process.stderr.write(`${size} MB run ${i + 1}/${runs}: diff...\n`);
    gnu.push(await timed('/usr/bin/diff', [a, b]));
  }
  rows.push({
    sizeMb: size,
    events,
    deviations: synth.deviations,
    found,
    ours: {
      seconds: median(ours.map((s) => s.seconds)),
      cpu: median(ours.map((s) => s.cpu)),
      rssMb: median(ours.map((s) => s.rssMb)),
    },
    gnu: {
      seconds: median(gnu.map((s) => s.seconds)),
      cpu: median(gnu.map((s) => s.cpu)),
      rssMb: median(gnu.map((s) => s.rssMb)),
    },
  });
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(`trace diff vs GNU diff, 1 % deviations, medians of ${runs} run(s)`);
console.log(
  `${pad('size', 8)} ${pad('events', 9)} ${pad('found', 6)} | ${pad('ours wall', 9)} ${pad('cpu', 6)} ${pad('RSS', 7)} | ${pad('diff wall', 9)} ${pad('cpu', 6)} ${pad('RSS', 7)} | ${pad('cpu x', 6)} ${pad('RSS x', 6)}`,
);
for (const r of rows) {
  console.log(
    `${pad(`${r.sizeMb} MB`, 8)} ${pad(r.events, 9)} ${pad(r.found, 6)} | ${pad(`${r.ours.seconds.toFixed(2)}s`, 9)} ${pad(`${r.ours.cpu.toFixed(2)}s`, 6)} ${pad(`${r.ours.rssMb.toFixed(0)}MB`, 7)} | ${pad(`${r.gnu.seconds.toFixed(2)}s`, 9)} ${pad(`${r.gnu.cpu.toFixed(2)}s`, 6)} ${pad(`${r.gnu.rssMb.toFixed(0)}MB`, 7)} | ${pad((r.ours.cpu / Math.max(r.gnu.cpu, 0.01)).toFixed(2), 6)} ${pad((r.ours.rssMb / r.gnu.rssMb).toFixed(2), 6)}`,
  );
}
if (rows.length >= 2) {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  console.log(
    `size x${(last.sizeMb / first.sizeMb).toFixed(1)}: our peak RSS x${(last.ours.rssMb / first.ours.rssMb).toFixed(2)}, diff's x${(last.gnu.rssMb / first.gnu.rssMb).toFixed(2)}`,
  );
}
console.log(
  'note: GNU diff compares text, so every re-recorded timestamp is a difference to it; trace diff ignores ts and reports only the seeded 1 %.',
);
