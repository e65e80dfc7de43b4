// Benchmark: read one 64 MiB file from diod over loopback, our client against diod's own C
// client (diodcat, shipped in Debian's diod package), alternated round by round against the
// same diod process, so the server's per-message cost is the same for both. Two runs: msize
// 64 KiB (the goal: ratio ours/diodcat >= 1.0 on the median) and msize 8 KiB (eight times the
// messages, so per-message costs show). Both are 9P2000.L: diod and diodcat speak nothing
// else, so a plain-9P2000 comparison has no C counterpart to run against.
//
//   npx tsx bench/ninep/read-64mib.ts [--rounds 5] [--window 8] [--small-rounds 3]
//
// Like-for-like: diodcat writes the file to stdout (here /dev/null, through sh, so no pipe
// copying counts against it) and its time includes starting the process; that start-up (a
// diodcat of an empty file, same server) is measured and printed too, with the ratio it would
// give if it were left out. Ours opens, reads every byte (handed to a callback that drops it,
// as /dev/null would) and clunks. Correctness is checked once per run, untimed, by a sha256 of
// a streamed read. RSS: growth of our process during our timed reads over the RSS just before
// them (the client holds at most window x msize of replies plus one receive slab).
import { openSync, writeSync, closeSync, existsSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { startDiod, type DiodServer } from '../../harness/ninep/diod.ts';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import { runCommand } from '../../harness/process/spawn.ts';

const SIZE = 64 * 1024 * 1024;
const DIODCAT = '/usr/sbin/diodcat';
const MiB = 1024 * 1024;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`--${name} takes a whole number >= 1, got ${process.argv[i + 1]}`);
  return v;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mibps = (ms: number) => SIZE / MiB / (ms / 1000);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function diodcat(diod: DiodServer, msize: number, file: string): Promise<number> {
  const t0 = performance.now();
  const res = await runCommand(
    'sh',
    ['-c', `${DIODCAT} -s ${diod.host}:${diod.port} -m ${msize} -a ${diod.exportDir} ${file} > /dev/null`],
    { timeoutMs: 60_000 },
  );
  const ms = performance.now() - t0;
  if (res.exitCode !== 0) throw new Error(`diodcat of ${file} failed (exit ${res.exitCode}): ${res.stderr}`);
  return ms;
}

/** One msize: alternated rounds of ours and diodcat; prints each round and the medians. */
async function run(diod: DiodServer, want: string, msize: number, rounds: number, window: number) {
  const client = await NinepClient.connect({
    transport: 'tcp',
    host: diod.host,
    port: diod.port,
    dialect: '9P2000.L',
    msize,
    timeoutMs: 30_000,
  });
  try {
    const fs = await NinepFs.attach(client, { uname: 'root', aname: diod.exportDir });
    const hash = createHash('sha256');
    const f0 = await fs.open('/big.bin', 'r');
    await fs.readChunks(f0, (b) => hash.update(b), { window, timeoutMs: 30_000, transient: true });
    await fs.clunk(f0.fid);
    if (hash.digest('hex') !== want) throw new Error(`our client read the wrong bytes at msize ${msize}`);
    console.log(
      `\n64 MiB from diod over loopback, 9P2000.L, msize ${msize} (negotiated ${client.msize}), our read window ${window}, ${rounds} rounds alternated`,
    );
    const ours: number[] = [];
    const theirs: number[] = [];
    const startup: number[] = [];
    const before = process.memoryUsage();
    const rssBefore = before.rss;
    let peak = rssBefore;
    // buffer memory (receive slabs and replies) apart from the JS heap, whose young generation
    // grows by several MiB under any steady stream of small objects
    let peakBuffers = before.arrayBuffers;
    const sample = () => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    };
    const sampler = setInterval(sample, 2);
    try {
      for (let r = 0; r < rounds; r++) {
        // alternate which goes first, so neither always gets the warmer page cache
        for (const who of r % 2 === 0 ? ['ours', 'diodcat'] : ['diodcat', 'ours']) {
          if (who === 'ours') {
            const t0 = performance.now();
            const f = await fs.open('/big.bin', 'r');
            const n = await fs.readChunks(f, () => undefined, { window, timeoutMs: 30_000, transient: true });
            await fs.clunk(f.fid);
            const ms = performance.now() - t0;
            sample();
            if (n !== SIZE) throw new Error(`our client read ${n} bytes, not ${SIZE}`);
            ours.push(ms);
          } else {
            theirs.push(await diodcat(diod, msize, 'big.bin'));
            startup.push(await diodcat(diod, msize, 'empty.bin'));
          }
        }
        console.log(
          `round ${r + 1}: ours ${mibps(ours[r]!).toFixed(0)} MiB/s (${ours[r]!.toFixed(0)} ms)   diodcat ${mibps(theirs[r]!).toFixed(0)} MiB/s (${theirs[r]!.toFixed(0)} ms, of which start-up ~${startup[r]!.toFixed(0)} ms)   load ${load()}`,
        );
      }
    } finally {
      clearInterval(sampler);
    }
    const mo = mibps(median(ours));
    const mt = mibps(median(theirs));
    const net = mibps(Math.max(1, median(theirs) - median(startup)));
    console.log(`median: ours ${mo.toFixed(0)} MiB/s, diodcat ${mt.toFixed(0)} MiB/s`);
    console.log(`ratio ours/diodcat (median throughput): ${(mo / mt).toFixed(2)}   (goal >= 1.0)`);
    console.log(
      `  without diodcat's process start-up (median ${median(startup).toFixed(0)} ms): diodcat ${net.toFixed(0)} MiB/s, ratio ${(mo / net).toFixed(2)}`,
    );
    console.log(
      `our RSS during our reads: ${(rssBefore / MiB).toFixed(0)} MiB before, ${(peak / MiB).toFixed(0)} MiB peak, growth ${((peak - rssBefore) / MiB).toFixed(1)} MiB (window x msize = ${((window * client.msize) / MiB).toFixed(2)} MiB)`,
    );
    console.log(
      `  of which buffer memory (receive slabs, replies): ${(before.arrayBuffers / MiB).toFixed(1)} MiB before, ${(peakBuffers / MiB).toFixed(1)} MiB peak, growth ${((peakBuffers - before.arrayBuffers) / MiB).toFixed(1)} MiB`,
    );
    return { msize, ours: mo, diodcat: mt, ratio: mo / mt };
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  const rounds = arg('rounds', 5);
  const smallRounds = arg('small-rounds', 3);
  const window = arg('window', 8);
  if (!existsSync(DIODCAT)) throw new Error(`${DIODCAT} is missing (apt-get install diod)`);
  const diod = await startDiod();
  try {
    // written in 1 MiB pieces so the source never sits in our memory (RSS shows the client)
    const hash = createHash('sha256');
    const fd = openSync(join(diod.exportDir, 'big.bin'), 'w');
    for (let off = 0; off < SIZE; off += MiB) {
      const piece = randomBytes(MiB);
      hash.update(piece);
      writeSync(fd, piece);
    }
    closeSync(fd);
    closeSync(openSync(join(diod.exportDir, 'empty.bin'), 'w'));
    const want = hash.digest('hex');
    const results = [
      await run(diod, want, 65536, rounds, window),
      await run(diod, want, 8192, smallRounds, window),
    ];
    console.log(
      `\nmachine: ${cpus().length} cores, load average ${load()} (figures on a busy machine vary several-fold)`,
    );
    for (const r of results)
      console.log(
        `summary msize ${r.msize}: ours ${r.ours.toFixed(0)} MiB/s, diodcat ${r.diodcat.toFixed(0)} MiB/s, ratio ${r.ratio.toFixed(2)}`,
      );
  } finally {
    await diod.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
