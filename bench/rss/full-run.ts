// Peak resident memory of a `cohesix-qa run`, per process kind (#17: ≤ 250 MB a process).
// Runs `node bin/cohesix-qa.js run` (full reference run unless --suite is given) and
// samples /proc/<pid>/status of every process of its tree; VmHWM is each process's own
// high-water mark, so a sample taken any time before it exits reads its peak. Prints the
// peak per kind (CLI, vitest worker, each reference serve child, chromium, qemu, …), the
// tree's largest summed RSS at one instant, wall time and exit code; with --runs N, the
// median of each over N runs and the load average before each.
//
//   npx tsx bench/rss/full-run.ts [--runs 3] [--suite a,b] [--cwd <checkout>] [--interval 100]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Args {
  runs: number;
  suite?: string;
  cwd: string;
  intervalMs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 1, cwd: fileURLToPath(new URL('../../', import.meta.url)), intervalMs: 100 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    const need = (what: string) => {
      if (v === undefined) throw new Error(`${argv[i]} needs ${what}`);
      i++;
      return v;
    };
    if (argv[i] === '--runs') args.runs = Number(need('a count'));
    else if (argv[i] === '--suite') args.suite = need('a suite list');
    else if (argv[i] === '--cwd') args.cwd = resolve(need('a checkout directory'));
    else if (argv[i] === '--interval') args.intervalMs = Number(need('milliseconds'));
    else throw new Error(`unknown argument ${argv[i]} (use --runs, --suite, --cwd, --interval)`);
  }
  if (!(args.runs >= 1)) throw new Error('--runs must be ≥ 1');
  return args;
}

/** pid → parent pid, for every process we may read */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the command name (field 2) may hold spaces and parentheses: fields follow the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(name), ppid);
    } catch {
      // exited while we listed
    }
  }
  return table;
}

function descendants(root: number, table: Map<number, number>): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of table) if (ppid === out[i]) out.push(pid);
  return out;
}

function kB(status: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

/** what a process is, for the report: its role in the run, not its pid */
function kindOf(pid: number, root: number): string | undefined {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
  if (argv.length === 0) return undefined; // a zombie or kernel thread holds no memory of its own
  const line = argv.join(' ');
  if (pid === root) return 'cli';
  if (argv[0]!.endsWith('setpriv')) return undefined; // execs its program at once
  if (line.includes(' reference serve')) {
    const area = /--area[ =](\S+)/.exec(line)?.[1] ?? 'all';
    return `serve:${area}`;
  }
  if (/vitest/.test(line)) return 'vitest-worker';
  let exe = '';
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    // not ours to read
  }
  // Chromium's zygote and helpers run as /proc/self/exe
  if (/chrom(e|ium)|headless_shell/i.test(argv[0]! + ' ' + exe)) return 'chromium';
  if (/qemu-system/.test(argv[0]!)) return 'qemu';
  const script = argv.slice(1).find((a) => /\.(ts|js|mjs)$/.test(a));
  if (/node$/.test(argv[0]!) && script) return `node:${basename(script)}`;
  return basename(argv[0]!);
}

interface RunFigures {
  /** kind → peak VmHWM (kB) of its largest process, and how many processes it had */
  kinds: Map<string, { peakKb: number; count: number }>;
  /** largest sum of VmRSS over the tree at one sample */
  treePeakKb: number;
  wallMs: number;
  exitCode: number | null;
  load: string;
}

async function oneRun(a: Args): Promise<RunFigures> {
  const out = mkdtempSync(join(tmpdir(), 'rss-full-run-'));
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const args = ['bin/cohesix-qa.js', 'run', '--out', out, ...(a.suite ? ['--suite', a.suite] : [])];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: a.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const root = child.pid!;
  const peakByPid = new Map<string, { kind: string; hwm: number }>();
  let treePeakKb = 0;
  const sample = () => {
    let sum = 0;
    for (const pid of descendants(root, processTable())) {
      let status: string;
      try {
        status = readFileSync(`/proc/${pid}/status`, 'utf8');
      } catch {
        continue;
      }
      sum += kB(status, 'VmRSS');
      // classified at every sample: a shell or setpriv execs its program (and exec resets VmHWM)
      const kind = kindOf(pid, root);
      if (!kind) continue;
      const key = `${pid}:${kind}`;
      peakByPid.set(key, { kind, hwm: Math.max(peakByPid.get(key)?.hwm ?? 0, kB(status, 'VmHWM')) });
    }
    treePeakKb = Math.max(treePeakKb, sum);
  };
  const timer = setInterval(sample, a.intervalMs);
  const exitCode = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  clearInterval(timer);
  const wallMs = performance.now() - t0;
  if (exitCode !== 0) {
    // the figures of a run that failed still count; say which cases, so a reader can judge
    let failed = '(no results.json)';
    try {
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
        cases: Array<{ id: string; status: string; error?: { message: string } }>;
      };
      failed = r.cases
        .filter((c) => c.status !== 'passed' && c.status !== 'skipped')
        .map((c) => `  ${c.status} ${c.id}: ${(c.error?.message ?? '').split('\n')[0]}`)
        .join('\n');
    } catch {
      // reported as missing above
    }
    process.stderr.write(`run exited ${exitCode}; not passed:\n${failed}\nits stderr ended:\n${stderr}\n`);
  }
  rmSync(out, { recursive: true, force: true });
  const kinds = new Map<string, { peakKb: number; count: number }>();
  for (const { kind, hwm } of peakByPid.values()) {
    const k = kinds.get(kind) ?? { peakKb: 0, count: 0 };
    kinds.set(kind, { peakKb: Math.max(k.peakKb, hwm), count: k.count + 1 });
  }
  return { kinds, treePeakKb, wallMs, exitCode, load };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

const a = parseArgs(process.argv.slice(2));
const runs: RunFigures[] = [];
for (let i = 0; i < a.runs; i++) {
  const r = await oneRun(a);
  runs.push(r);
  console.log(
    `run ${i + 1}: exit ${r.exitCode}, wall ${(r.wallMs / 1000).toFixed(1)} s, load before ${r.load}, tree peak ${mb(r.treePeakKb)}, largest process ${mb(Math.max(...[...r.kinds.values()].map((k) => k.peakKb)))}`,
  );
}
const kinds = [...new Set(runs.flatMap((r) => [...r.kinds.keys()]))].sort();
console.log(`\npeak VmHWM per process kind, median of ${a.runs} run(s) (max over the kind's processes):`);
for (const kind of kinds) {
  const peaks = runs.map((r) => r.kinds.get(kind)?.peakKb ?? 0);
  const count = median(runs.map((r) => r.kinds.get(kind)?.count ?? 0));
  console.log(
    `  ${kind.padEnd(28)} ${mb(median(peaks)).padStart(7)}  (${count} process${count === 1 ? '' : 'es'})`,
  );
}
const largest = median(runs.map((r) => Math.max(...[...r.kinds.values()].map((k) => k.peakKb))));
console.log(`  ${'largest single process'.padEnd(28)} ${mb(largest).padStart(7)}  (goal ≤ 250 MB)`);
console.log(
  `  ${'total (tree, summed RSS)'.padEnd(28)} ${mb(median(runs.map((r) => r.treePeakKb))).padStart(7)}`,
);
console.log(
  `  ${'wall time'.padEnd(28)} ${(median(runs.map((r) => r.wallMs)) / 1000).toFixed(1).padStart(5)} s`,
);
