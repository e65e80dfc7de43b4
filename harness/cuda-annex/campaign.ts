// The outage campaign: a seeded sequence of jobs run through a worker executor
// while the annex is taken down, made to refuse, slowed past the bound, made to
// fail dispatches, and brought back. Same seed, same schedule of faults and jobs.
// The report accounts for every job: how it completed, how often it was counted,
// whether its result is right, whether the annex also ran a job counted on the CPU.
import type { AnnexFaults } from './faultable-listener.ts';
import { seededRandom } from '../seeded-random.ts';
import type { CudaJob, JobOutcome, LedgerEntry } from '../../contract/cuda-annex/wire.ts';
import { expectedJobResult } from './expected.ts';

export type CampaignFault = 'up' | 'down' | 'refuse' | 'slow' | 'fail';

export interface CampaignOptions {
  seed: number;
  jobs: number;
  /** the executor's dispatch bound; a slow annex is slowed to 2x this */
  boundMs: number;
}

export interface CampaignReport {
  seed: number;
  jobs: number;
  remote: number;
  cpu: number;
  /** fallbacks whose CPU result was correct / all fallbacks (1 when nothing fell back) */
  fallbackSuccessRatio: number;
  /** jobs with a correct result / all jobs */
  completionRatio: number;
  wrongResults: string[];
  /** jobs absent from the ledger */
  lost: string[];
  /** jobs in the ledger more than once */
  countedTwice: string[];
  /** jobs the executor reported as remote success that the ledger does not hold as remote */
  phantomRemote: string[];
  /**
   * jobs counted on the CPU that the annex also executed: a dispatch abandoned at the bound
   * whose reply was already on its way. Execution is at-least-once, accounting exactly-once;
   * reported, not judged (under load it happens to correct executors too).
   */
  ranOnBoth: string[];
  /** how many jobs ran under each fault */
  faults: Record<CampaignFault, number>;
  fallbackReasons: Record<string, number>;
  ms: number;
}

/** The fault schedule for a seed: segments of [fault, job count] summing to `jobs`. */
export function campaignSchedule(seed: number, jobs: number): Array<[CampaignFault, number]> {
  const rand = seededRandom(seed);
  const out: Array<[CampaignFault, number]> = [];
  const kinds: CampaignFault[] = ['down', 'refuse', 'slow', 'fail'];
  let left = jobs;
  let up = true;
  while (left > 0) {
    const fault: CampaignFault = up ? 'up' : kinds[Math.floor(rand() * kinds.length)]!;
    // slow segments cost a bound per job: keep them short
    const max = fault === 'slow' ? 6 : 20;
    const n = Math.min(left, 3 + Math.floor(rand() * (max - 2)));
    out.push([fault, n]);
    left -= n;
    up = !up;
  }
  return out;
}

async function apply(faults: AnnexFaults, fault: CampaignFault, boundMs: number): Promise<void> {
  await faults.reset();
  if (fault === 'down') await faults.stop();
  else if (fault === 'refuse') await faults.refuseConnections();
  else if (fault === 'fail') await faults.failDispatches();
  else if (fault === 'slow') faults.slow(boundMs * 2);
}

/** what the campaign needs of a worker: submit jobs, read its accounting */
export interface CampaignWorker {
  run(job: CudaJob): Promise<JobOutcome>;
  readonly ledger: readonly LedgerEntry[];
}

export async function runOutageCampaign(
  executor: CampaignWorker,
  annex: { faults: AnnexFaults; executed?: ReadonlyMap<string, number> },
  opts: CampaignOptions,
): Promise<CampaignReport> {
  const started = performance.now();
  const rand = seededRandom(opts.seed ^ 0x9e3779b9);
  const jobs: CudaJob[] = [];
  const outcomes = new Map<string, JobOutcome>();
  const faultCounts: Record<CampaignFault, number> = { up: 0, down: 0, refuse: 0, slow: 0, fail: 0 };
  const ledgerStart = executor.ledger.length;
  let i = 0;
  try {
    for (const [fault, n] of campaignSchedule(opts.seed, opts.jobs)) {
      await apply(annex.faults, fault, opts.boundMs);
      for (let k = 0; k < n; k++, i++) {
        const job = { id: `s${opts.seed}-j${i}`, input: `seed=${opts.seed};job=${i};x=${rand().toFixed(9)}` };
        jobs.push(job);
        faultCounts[fault]++;
        outcomes.set(job.id, await executor.run(job));
      }
    }
  } finally {
    await annex.faults.reset();
  }
  // a slowed dispatch the worker abandoned must not complete late on the annex
  await new Promise((r) => setTimeout(r, opts.boundMs * 2 + 50));

  const ledger = executor.ledger.slice(ledgerStart);
  const counts = new Map<string, number>();
  for (const e of ledger) counts.set(e.job, (counts.get(e.job) ?? 0) + 1);
  const wrongResults: string[] = [];
  const lost: string[] = [];
  const countedTwice: string[] = [];
  const phantomRemote: string[] = [];
  const ranOnBoth: string[] = [];
  const fallbackReasons: Record<string, number> = {};
  let cpu = 0;
  let cpuCorrect = 0;
  let remote = 0;
  let correct = 0;
  for (const job of jobs) {
    const out = outcomes.get(job.id)!;
    const entries = ledger.filter((e) => e.job === job.id);
    const c = counts.get(job.id) ?? 0;
    if (c === 0) lost.push(job.id);
    if (c > 1) countedTwice.push(job.id);
    const expected = expectedJobResult(job.input);
    const right = out.result === expected && entries.every((e) => e.result === expected);
    if (right) correct++;
    else wrongResults.push(job.id);
    if (out.via === 'remote') {
      remote++;
      if (!entries.some((e) => e.via === 'remote')) phantomRemote.push(job.id);
    } else {
      cpu++;
      if (right) cpuCorrect++;
      fallbackReasons[out.status] = (fallbackReasons[out.status] ?? 0) + 1;
      if ((annex.executed?.get(job.id) ?? 0) > 0) ranOnBoth.push(job.id);
    }
  }
  return {
    seed: opts.seed,
    jobs: jobs.length,
    remote,
    cpu,
    fallbackSuccessRatio: cpu === 0 ? 1 : cpuCorrect / cpu,
    completionRatio: jobs.length === 0 ? 0 : correct / jobs.length,
    wrongResults,
    lost,
    countedTwice,
    phantomRemote,
    ranOnBoth,
    faults: faultCounts,
    fallbackReasons,
    ms: performance.now() - started,
  };
}
