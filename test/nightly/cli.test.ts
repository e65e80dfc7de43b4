// The real CLI on a scripted suite: repeats find the flaky case, retries rerun an
// infrastructure error, --fail-on-flaky and an expired quarantine entry fail the run,
// every run lands in the history, and `history` reads it back.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../helpers/cli.ts';
import { junitErrors } from '../helpers/reports.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { validate } from '../../harness/schemas/registry.ts';
import { afterRun } from '../../harness/nightly/integration.ts';
import { openHistory } from '../../harness/history/store.ts';
import { composeRunReport, type RunReport } from '../../harness/history/run-report.ts';
import { synthRun } from './helpers/synth.ts';

const SUITES = join(PROJECT_ROOT, 'test/fixtures/suites');
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunReport;
const byTitle = (r: RunReport, t: string) => r.cases.find((c) => c.title === t)!;

function flakyRun(base: string, name: string, args: string[], history: string) {
  const state = join(base, `${name}-state`);
  mkdirSync(state);
  const out = join(base, name);
  return cli(
    [
      'run',
      '--suite',
      'flaky',
      '--out',
      out,
      '--history',
      history,
      '--reporter',
      'console,junit,html',
      ...args,
    ],
    { env: { COHESIX_QA_SUITES_DIR: SUITES, COHESIX_QA_FLAKY_STATE: state } },
  ).then((r) => ({ ...r, out }));
}

describe('run --repeat / --retries / --fail-on-flaky / quarantine, end to end', () => {
  it('repeats flag the case failing 1 run in 5 as flaky; --fail-on-flaky fails the run', async () => {
    const base = tempDir();
    const history = join(base, 'history.db');
    const [plain, strict] = await Promise.all([
      flakyRun(base, 'plain', ['--repeat', '5'], history),
      flakyRun(base, 'strict', ['--repeat', '5', '--fail-on-flaky'], join(base, 'other.db')),
    ]);
    expect(plain.exitCode, plain.stdout + plain.stderr).toBe(0);
    const r = read(plain.out);
    expect(validate('results', r)).toEqual([]);
    const flaky = byTitle(r, 'fails one run in five');
    expect(flaky).toMatchObject({ status: 'passed', flaky: true });
    expect(flaky.attempts!.map((a) => a.status)).toEqual(['passed', 'failed', 'passed', 'passed', 'passed']);
    expect(byTitle(r, 'steady case').flaky).toBeUndefined();
    // the infrastructure hiccup is not a product failure: not flaky
    expect(byTitle(r, 'infrastructure hiccup')).toMatchObject({ status: 'passed' });
    expect(byTitle(r, 'infrastructure hiccup').flaky).toBeUndefined();
    expect(r.summary).toMatchObject({ flaky: 1, status: 'passed' });
    expect(plain.stdout).toContain('~ FLAKY flaky › fails one run in five (flaky: 5 attempts, 1 failed)');
    const xml = readFileSync(join(plain.out, 'junit.xml'), 'utf8');
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml).toContain('name="flaky.fails one run in five"');
    expect(readFileSync(join(plain.out, 'report.html'), 'utf8')).toContain(
      'History: the last 1 recorded run ',
    );
    // every attempt is in the stream
    const ends = readFileSync(join(plain.out, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; attempt?: number })
      .filter((e) => e.type === 'case-end');
    expect(ends).toHaveLength(20);
    expect(new Set(ends.map((e) => e.attempt))).toEqual(new Set([1, 2, 3, 4, 5]));

    expect(strict.exitCode, strict.stdout).toBe(1);
    expect(strict.stdout).toMatch(/1 flaky — failed \(--fail-on-flaky\)/);

    const h = await cli(['history', '--history', history, '--json']);
    expect(h.exitCode, h.stderr).toBe(0);
    const report = JSON.parse(h.stdout) as {
      runs: unknown[];
      flakeRates: Array<{ caseId: string; flakeRate: number; flaky: boolean }>;
    };
    expect(report.runs).toHaveLength(1);
    expect(report.flakeRates.find((f) => f.caseId.endsWith('::fails one run in five'))).toMatchObject({
      flaky: true,
      flakeRate: 0.2,
    });
  });

  it('--retries reruns an infrastructure error; an expired quarantine entry fails the run naming it', async () => {
    const base = tempDir();
    writeFileSync(
      join(base, 'quarantine.json'),
      JSON.stringify({
        entries: [
          { pattern: 'flaky::*::steady case', reason: 'was flaky', owner: 'lab-team', expires: '2020-01-31' },
        ],
      }),
    );
    const config = join(base, 'cohesix-qa.config.json');
    writeFileSync(config, JSON.stringify({ nightly: { quarantineFile: 'quarantine.json' } }));
    const r = await flakyRun(base, 'retry', ['--retries', '2', '--config', config], join(base, 'h.db'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain(
      'quarantine entry "flaky::*::steady case" (owner lab-team) expired on 2020-01-31',
    );
    const res = read(r.out);
    const hiccup = byTitle(res, 'infrastructure hiccup');
    expect(hiccup.status).toBe('passed');
    expect(hiccup.attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 'infra-error' }),
      expect.objectContaining({ attempt: 2, status: 'passed', retry: true }),
    ]);
    // product failures are not retried without --retry-product, and passing cases ran once
    expect(byTitle(res, 'steady case').attempts).toBeUndefined();
    expect(r.stdout).toContain('[retry, attempt 2]');
  });
});

describe('quarantine release', () => {
  it('a quarantined case that passed the last N recorded runs is reported ready to release', async () => {
    const spec = join(tempDir(), 'h.db');
    const q = [{ pattern: '*::known bad', reason: 'r', owner: 'o', expires: '2099-01-01' }];
    const run = (i: number, status: 'passed' | 'failed') =>
      synthRun({ index: i, cases: [{ title: 'known bad', attempts: [status] }], policy: { quarantine: q } });
    const store = await openHistory(spec, process.cwd());
    await store.record(run(0, 'failed'));
    for (let i = 1; i <= 3; i++) await store.record(run(i, 'passed'));
    await store.close();
    let out = '';
    const fourth = run(4, 'passed');
    const before = JSON.stringify(fourth);
    const found4 = await afterRun(fourth, {
      historySpec: spec,
      cwd: '/',
      releaseAfter: 5,
      write: (t) => (out += t),
    });
    expect(out).toBe('');
    expect(found4.readyToRelease).toEqual([]); // 4 passes in a row, 5 needed
    expect(JSON.stringify(fourth), 'afterRun leaves the results as they were folded').toBe(before);
    const fifth = run(5, 'passed');
    const found5 = await afterRun(fifth, {
      historySpec: spec,
      cwd: '/',
      releaseAfter: 5,
      write: (t) => (out += t),
    });
    const ready = [
      { caseId: 'boot::suites/boot/boot.test.ts::known bad', pattern: '*::known bad', passedRuns: 5 },
    ];
    expect(found5.readyToRelease).toEqual(ready);
    // composed once into the run report the reporters get; the results stay without it
    const report = composeRunReport(fifth, found5);
    expect(report.quarantine?.readyToRelease).toEqual(ready);
    expect(report.history?.runs.length).toBeGreaterThan(0);
    expect(fifth).not.toHaveProperty('history');
    expect(fifth.quarantine).not.toHaveProperty('readyToRelease');
  });

  it('a history store that cannot be opened is reported loudly and the verdict stands', async () => {
    let out = '';
    const r = synthRun({ index: 1, cases: [{ title: 'x', attempts: ['passed'] }] });
    await afterRun(r, {
      historySpec: 'postgres://qa@127.0.0.1:1/none',
      cwd: '/',
      releaseAfter: 5,
      write: (t) => (out += t),
    });
    expect(out).toMatch(
      /^\[error\] history not recorded: history store postgres:\/\/qa@127\.0\.0\.1:1\/none: cannot connect/,
    );
    expect(r.summary.status).toBe('passed');
  });
});
