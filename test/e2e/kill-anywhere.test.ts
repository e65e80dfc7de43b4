// Nothing outlives a killed run: `cohesix-qa run` is SIGKILLed at seeded random
// moments across several suites, and 2 s later no process it started (vitest
// workers, Chromium and its helpers, QEMU, services) may be alive. Every
// descendant inherits a probe variable in its environment, so leftovers are
// found in /proc even after they were re-parented to init. The CLI is started
// with a plain spawn, not spawnManaged: the managed wrapper kills the child's
// process group when it exits, which would hide exactly the leftovers looked for.
// Seed: KILL_ANYWHERE_SEED (default 17); kills per suite: KILL_ANYWHERE_PER_SUITE (default 4).
// Cost: 20 kills took 300 s with the 2-core machine at load 25 (a run there needs 15-40 s
// before its first worker starts); the time is mostly the CLI's start-up, waited for.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { seededRandom } from '../../harness/seeded-random.ts';
import { CLI, tempDir } from '../helpers/cli.ts';

const SEED = Number(process.env.KILL_ANYWHERE_SEED ?? 17);
const PER_SUITE = Number(process.env.KILL_ANYWHERE_PER_SUITE ?? 4);
const SUITES = ['gui', 'boot', 'secure9p', 'cuda-annex', 'release'];
const PROBE = 'COHESIX_QA_KILL_PROBE';
/**
 * Where a kill lands. 'startup': at a random moment in the first seconds (the CLI alone, or
 * the target starting). 'children': at a random moment up to KILL_AFTER_CHILDREN_MS after the
 * first descendant (a worker, a browser, a VM) appeared, so kills hit runs with a tree to leave.
 * Start-up time depends on the machine's load, so the second kind waits for it (bounded).
 */
const STARTUP_WINDOW_MS: [number, number] = [300, 5000];
const KILL_AFTER_CHILDREN_MS = 4000;
const CHILDREN_WAIT_MS = 120_000;
/** kills run two at a time to keep the whole check under two minutes */
const PARALLEL = 2;
const GRACE_MS = 2000;

interface Leftover {
  pid: number;
  cmd: string;
}

/** Processes whose environment holds PROBE=<nonce>: the killed run's descendants. */
function leftovers(nonce: string): Leftover[] {
  const needle = Buffer.from(`${PROBE}=${nonce}\0`);
  const out: Leftover[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`).includes(needle)) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`).toString().split('\0').join(' ').slice(0, 120);
      // a zombie has exited: it holds no resources and is not "alive"
      const state = /\)\s+(\S)/.exec(readFileSync(`/proc/${name}/stat`, 'utf8'))?.[1];
      if (state !== 'Z') out.push({ pid: Number(name), cmd });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return out;
}

function killAll(found: Leftover[]): void {
  for (const l of found) {
    try {
      process.kill(l.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start the CLI, SIGKILL it after `delayMs`, wait GRACE_MS, return what is still alive. */
/** Resolve once a descendant other than `cli` carries the probe (or after `ms`). */
async function firstDescendant(nonce: string, cli: number, ms: number, gone: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !gone()) {
    if (leftovers(nonce).some((l) => l.pid !== cli)) return;
    await sleep(100);
  }
}

async function killOnce(
  suite: string,
  when: { kind: 'startup' | 'children'; delayMs: number },
): Promise<{ found: Leftover[]; ranMs: number; atKill: Leftover[]; cli: number }> {
  const nonce = randomBytes(6).toString('hex');
  const out = tempDir();
  const t0 = Date.now();
  const child = spawn(process.execPath, [CLI, 'run', '--suite', suite, '--out', out], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, [PROBE]: nonce, GITHUB_ACTIONS: '' },
    stdio: 'ignore',
  });
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  try {
    if (when.kind === 'children') await firstDescendant(nonce, child.pid ?? -1, CHILDREN_WAIT_MS, () => gone);
    await Promise.race([sleep(when.delayMs), exited]);
    // what the run had started by now (the probe must see the CLI itself, or it sees nothing)
    const atKill = leftovers(nonce);
    child.kill('SIGKILL');
    await exited;
    const ranMs = Date.now() - t0;
    await sleep(GRACE_MS);
    const found = leftovers(nonce);
    return { found, ranMs, atKill, cli: child.pid ?? -1 };
  } finally {
    // on every path: the CLI and anything left of it are gone before the next kill
    child.kill('SIGKILL');
    await exited;
    killAll(leftovers(nonce));
    rmSync(out, { recursive: true, force: true });
  }
}

describe('a SIGKILLed run leaves no process behind', () => {
  it(`${PER_SUITE * SUITES.length} kills at seeded moments (seed ${SEED}) across ${SUITES.join(', ')}: nothing alive ${GRACE_MS} ms later`, async () => {
    if (process.platform !== 'linux') throw new Error('this check reads /proc and needs Linux');
    const rand = seededRandom(SEED);
    const plan: Array<{ suite: string; when: { kind: 'startup' | 'children'; delayMs: number } }> = [];
    for (let i = 0; i < PER_SUITE; i++)
      for (const suite of SUITES) {
        // one kill in four during start-up, the rest once the run has a process tree
        const kind = i % 4 === 0 ? 'startup' : 'children';
        const [lo, hi] = kind === 'startup' ? STARTUP_WINDOW_MS : [0, KILL_AFTER_CHILDREN_MS];
        plan.push({ suite, when: { kind, delayMs: Math.round(lo + rand() * (hi - lo)) } });
      }
    const failures: string[] = [];
    let withChildren = 0;
    let maxChildren = 0;
    for (let i = 0; i < plan.length; i += PARALLEL) {
      const batch = await Promise.all(plan.slice(i, i + PARALLEL).map((k) => killOnce(k.suite, k.when)));
      batch.forEach(({ found, ranMs, atKill, cli }, j) => {
        const { suite } = plan[i + j]!;
        if (!atKill.some((l) => l.pid === cli))
          failures.push(
            `${suite}: the probe did not see the CLI (pid ${cli}) before the kill; /proc scan broken`,
          );
        const children = atKill.filter((l) => l.pid !== cli).length;
        if (children > 0) withChildren++;
        maxChildren = Math.max(maxChildren, children);
        if (found.length > 0)
          failures.push(
            `${suite}, killed after ${ranMs} ms with ${children} descendant(s): ${found.length} process(es) alive ${GRACE_MS} ms later:\n` +
              found.map((l) => `    ${l.pid} ${l.cmd}`).join('\n'),
          );
      });
    }
    console.log(
      `kill-anywhere: ${plan.length} kills, ${withChildren} with descendants alive at the kill (up to ${maxChildren})`,
    );
    expect(failures, `leftovers after SIGKILL of the CLI:\n${failures.join('\n')}`).toEqual([]);
    // a check that never killed a run with children would prove nothing
    expect(
      withChildren,
      `kills that hit a run with workers/browsers/VMs alive (of ${plan.length})`,
    ).toBeGreaterThanOrEqual(plan.length / 2);
  }, 900_000);
});
