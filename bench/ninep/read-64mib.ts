// Benchmark: read one 64 MiB file from diod over loopback at msize 64 KiB,
// our client against diod's own C client (diodcat, shipped in Debian's diod
// package), alternated in one run. Prints each round, the median throughput of
// each, their ratio (ours / diodcat; goal >= 1.0) and our process's RSS.
//
//   npx tsx bench/ninep/read-64mib.ts [--rounds 5] [--window 4]
//
// Like-for-like: diodcat writes the file to stdout (here /dev/null, through sh,
// so no pipe copying counts against it) and its time includes starting the
// process (a few ms); ours opens, reads every byte (handed to a callback that
// drops it, as /dev/null would) and clunks. Correctness is checked once, untimed,
// by a sha256 of a streamed read.
import { openSync, writeSync, closeSync, existsSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { startDiod } from '../../harness/ninep/diod.ts';
import { NinepClient } from '../../harness/ninep/client.ts';
import { NinepFs } from '../../harness/ninep/fs.ts';
import { runCommand } from '../../harness/process/spawn.ts';

const SIZE = 64 * 1024 * 1024;
const MSIZE = 65536;
const DIODCAT = '/usr/sbin/diodcat';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mibps = (ms: number) => SIZE / (1024 * 1024) / (ms / 1000);

async function main(): Promise<void> {
  const rounds = arg('rounds', 7);
  const window = arg('window', 4);
  if (!existsSync(DIODCAT)) throw new Error(`${DIODCAT} is missing (apt-get install diod)`);
  const diod = await startDiod();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  try {
    // written in 1 MiB pieces so the source never sits in our memory (RSS shows the client)
    const hash = createHash('sha256');
    const fd = openSync(join(diod.exportDir, 'big.bin'), 'w');
    for (let off = 0; off < SIZE; off += 1 << 20) {
      const piece = randomBytes(1 << 20);
      hash.update(piece);
      writeSync(fd, piece);
    }
    closeSync(fd);
    const want = hash.digest('hex');
    const client = await NinepClient.connect({
      transport: 'tcp',
      host: diod.host,
      port: diod.port,
      dialect: '9P2000.L',
      msize: MSIZE,
      timeoutMs: 30_000,
    });
    const fs = await NinepFs.attach(client, { uname: 'root', aname: diod.exportDir });
    const check = await fs.readFile('/big.bin', { timeoutMs: 30_000 });
    if (createHash('sha256').update(check).digest('hex') !== want)
      throw new Error('our client read the wrong bytes');
    console.log(
      `64 MiB from diod over loopback, msize ${MSIZE} (negotiated ${client.msize}), our read window ${window}, ${rounds} rounds alternated`,
    );

    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // alternate which goes first, so neither always gets the warmer page cache
      const order = r % 2 === 0 ? ['ours', 'diodcat'] : ['diodcat', 'ours'];
      for (const who of order) {
        if (who === 'ours') {
          const t0 = performance.now();
          const f = await fs.open('/big.bin', 'r');
          const n = await fs.readChunks(f, () => undefined, { window, timeoutMs: 30_000 });
          await fs.clunk(f.fid);
          const ms = performance.now() - t0;
          if (n !== SIZE) throw new Error(`our client read ${n} bytes, not ${SIZE}`);
          ours.push(ms);
        } else {
          const t0 = performance.now();
          const res = await runCommand(
            'sh',
            [
              '-c',
              `${DIODCAT} -s ${diod.host}:${diod.port} -m ${MSIZE} -a ${diod.exportDir} big.bin > /dev/null`,
            ],
            { timeoutMs: 60_000 },
          );
          const ms = performance.now() - t0;
          if (res.exitCode !== 0) throw new Error(`diodcat failed (exit ${res.exitCode}): ${res.stderr}`);
          theirs.push(ms);
        }
      }
      console.log(
        `round ${r + 1}: ours ${mibps(ours[r]!).toFixed(0)} MiB/s (${ours[r]!.toFixed(0)} ms)   diodcat ${mibps(theirs[r]!).toFixed(0)} MiB/s (${theirs[r]!.toFixed(0)} ms)`,
      );
    }
    console.log(
      `machine: ${cpus().length} cores, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} (figures on a busy machine vary several-fold)`,
    );
    const mo = mibps(median(ours));
    const mt = mibps(median(theirs));
    console.log(`median: ours ${mo.toFixed(0)} MiB/s, diodcat ${mt.toFixed(0)} MiB/s`);
    console.log(`ratio ours/diodcat (median throughput): ${(mo / mt).toFixed(2)}   (goal >= 1.0)`);
    console.log(
      `our RSS: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB now, ${(peakRss / 1048576).toFixed(0)} MiB peak (reads are streamed: no 64 MiB buffer is held)`,
    );
    client.close();
  } finally {
    clearInterval(sampler);
    await diod.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
