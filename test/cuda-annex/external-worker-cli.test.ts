// The suite against a user's worker named in config, through the real CLI: the
// reference worker CLI as the external worker passes the whole suite (heartbeats
// included), and the same worker in a defect mode fails exactly its case. The
// config lives in a temp dir and names the worker's cwd relative to it.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cli, tempDir } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import type { RunResults } from '../../harness/results/model.ts';

const MISSING =
  'fallback > missing_remote_endpoint: the job completes on the CPU path with the correct result';

function configNamingWorker(dir: string, workerArgs: string[]): string {
  const file = join(dir, 'cohesix-qa.config.json');
  const config = {
    'cuda-annex': {
      worker: {
        command: ['node', '--import', 'tsx', 'reference/cuda-annex/worker-cli.ts', ...workerArgs],
        // relative to this config file's directory
        cwd: relative(dir, PROJECT_ROOT),
      },
    },
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

async function runSuite(workerArgs: string[], extra: string[] = []) {
  const dir = tempDir('cuda-extw-cli-');
  const out = join(dir, 'out');
  const r = await cli(
    [
      'run',
      '--suite',
      'cuda-annex',
      '--config',
      configNamingWorker(dir, workerArgs),
      '--history',
      'off',
      '--reporter',
      'console,json',
      '--out',
      out,
      ...extra,
    ],
    { timeoutMs: 240_000 },
  );
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
  const by = (status: string) => results.cases.filter((c) => c.status === status).map((c) => c.fullTitle);
  return { r, results, passed: by('passed'), notPassed: results.cases.filter((c) => c.status !== 'passed') };
}

describe.concurrent('cuda-annex suite against an external worker named in config', () => {
  it('the reference worker CLI passes every case and the ratio is printed', async () => {
    const { r, passed, notPassed } = await runSuite([]);
    expect(notPassed.map((c) => `${c.fullTitle} [${c.status}]`)).toEqual([]);
    expect(passed.length).toBe(9);
    expect(r.stdout).toMatch(/cuda-annex fallback success ratio: median \d+(\.\d+)? %/);
    expect(r.exitCode).toBe(0);
  }, 240_000);

  // a second full run: a worker that does not heartbeat, in a defect mode
  it('--defect cuda-silent-success --no-heartbeat: exactly the missing-endpoint case fails; status and heartbeat are skipped, not passed', async () => {
    const { r, passed, notPassed, results } = await runSuite([
      '--defect',
      'cuda-silent-success',
      '--no-heartbeat',
    ]);
    expect(notPassed.map((c) => `${c.fullTitle} [${c.status}]`).sort()).toEqual([
      `${MISSING} [failed]`,
      'heartbeat > heartbeat metrics are present and fresh: GPU load and annex health per worker [skipped]',
      'status > /api/status shows an annex outage and its recovery within the bound [skipped]',
    ]);
    expect(passed.length).toBe(6);
    const skippedEvidence = results.cases
      .filter((c) => c.status === 'skipped')
      .map((c) => (c.evidence ?? []).map((e) => e.name));
    expect(skippedEvidence).toEqual([['cuda-annex-not-judged.txt'], ['cuda-annex-not-judged.txt']]);
    expect(r.stdout).toMatch(/does not heartbeat to the control plane/);
    expect(r.exitCode).toBe(1);
  }, 240_000);
});
