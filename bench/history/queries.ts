// History query times at lab scale: the queries `cohesix-qa history`, the HTML
// trends, --shard-by duration and quarantine release run, against a store of 10 000
// recorded runs, side by side with the same queries on a 100-run baseline store.
// Medians of repeated timings; SQLite always, PostgreSQL too when it is installed.
//
//   npx tsx bench/history/queries.ts [--runs 10000] [--baseline 100] [--reps 15]
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openHistory, type HistoryStore } from '../../harness/history/store.ts';
import { historyReport } from '../../harness/history/report.ts';
import { fileDurations } from '../../harness/nightly/integration.ts';
import { median } from '../../harness/results/stats.ts';
import { tempDir } from '../../test/helpers/cli.ts';
import { postgresBin, startCluster } from '../../test/nightly/helpers/postgres.ts';
import { bootSamples, synthRun } from '../../test/nightly/helpers/synth.ts';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const RUNS = arg('runs', 10_000);
const BASELINE = arg('baseline', 100);
const REPS = arg('reps', 15);
const CASES = 12;

async function fill(store: HistoryStore, runs: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    await store.record(
      synthRun({
        index: i,
        cases: Array.from({ length: CASES }, (_, k) => ({
          title: `case ${k}`,
          file: `suites/boot/f${k % 4}.test.ts`,
          attempts: [k === 3 && i % 5 === 2 ? 'failed' : 'passed'],
          durationMs: 100 + k * 10,
        })),
        boot: bootSamples(1000, 20, i),
      }),
    );
  }
  return performance.now() - t0;
}

const QUERIES: Array<[string, (s: HistoryStore) => Promise<unknown>]> = [
  ['recent runs (20)', (s) => s.recentRuns(20)],
  ['history report, last 20 runs', (s) => historyReport(s, { last: 20 })],
  ['history report, last 200 runs', (s) => historyReport(s, { last: 200 })],
  ['file durations (shard-by)', (s) => fileDurations(s)],
  ['case streak (release, 5)', (s) => s.caseStreak('boot::suites/boot/f3.test.ts::case 3', 5)],
];

async function timeQueries(store: HistoryStore): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [name, q] of QUERIES) {
    await q(store); // warm the caches once
    const times: number[] = [];
    for (let r = 0; r < REPS; r++) {
      const t0 = performance.now();
      await q(store);
      times.push(performance.now() - t0);
    }
    out.set(name, median(times));
  }
  return out;
}

async function bench(label: string, open: (runs: number) => Promise<HistoryStore>): Promise<void> {
  const small = await open(BASELINE);
  const fillSmall = await fill(small, BASELINE);
  const base = await timeQueries(small);
  await small.close();
  const big = await open(RUNS);
  const fillBig = await fill(big, RUNS);
  const large = await timeQueries(big);
  await big.close();
  console.log(
    `\n${label}: record ${(fillBig / RUNS).toFixed(2)} ms/run at ${RUNS} runs (${(fillSmall / BASELINE).toFixed(2)} ms/run at ${BASELINE})`,
  );
  console.log(
    `${'query'.padEnd(34)} ${`${BASELINE} runs`.padStart(12)} ${`${RUNS} runs`.padStart(12)}  ratio`,
  );
  for (const [name] of QUERIES) {
    const a = base.get(name)!;
    const b = large.get(name)!;
    console.log(
      `${name.padEnd(34)} ${`${a.toFixed(2)} ms`.padStart(12)} ${`${b.toFixed(2)} ms`.padStart(12)}  ${(b / a).toFixed(2)}x`,
    );
  }
}

const dir = tempDir('cqa-bench-');
console.log(
  `history query medians over ${REPS} repetitions, ${CASES} cases and one 20-sample boot measurement a run`,
);
await bench('SQLite (better-sqlite3)', (runs) => openHistory(join(dir, `h-${runs}.db`), dir));
const { bin, missing } = postgresBin();
if (bin) {
  const cluster = await startCluster(bin);
  try {
    let n = 0;
    await bench('PostgreSQL', async () => {
      // one database a store, so the baseline and the large store do not mix
      const admin = await openHistory(cluster.url, dir);
      const db = `bench_${++n}`;
      await admin.db.run(`CREATE DATABASE ${db}`);
      await admin.close();
      return openHistory(cluster.url.replace(/\/postgres$/, `/${db}`), dir);
    });
  } finally {
    await cluster.stop();
  }
} else {
  console.log(`\nPostgreSQL skipped: ${missing}`);
}
