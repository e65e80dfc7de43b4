// The foundation end to end: the real CLI runs the governance suite against the
// reference target and every report it writes is checked by an independent reader.
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../helpers/cli.ts';
import { junitErrors, parseTap } from '../helpers/reports.ts';
import { validate } from '../../harness/schemas/registry.ts';
import type { RunResults } from '../../harness/results/model.ts';

describe('cohesix-qa run --suite governance', () => {
  it('exits 0 and writes valid JUnit, TAP, results.json, events.jsonl and HTML', async () => {
    const out = tempDir();
    const r = await cli([
      'run',
      '--suite',
      'governance',
      '--reporter',
      'console,junit,tap,json,html',
      '--out',
      out,
    ]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(validate('results', results)).toEqual([]);
    expect(results.summary).toMatchObject({ status: 'passed', failed: 0, infraErrors: 0 });
    expect(results.summary.total).toBeGreaterThanOrEqual(9);
    expect(await junitErrors(readFileSync(join(out, 'junit.xml'), 'utf8'))).toEqual([]);
    const tap = await parseTap(readFileSync(join(out, 'results.tap'), 'utf8'));
    expect(tap).toMatchObject({
      ok: true,
      count: results.summary.total,
      pass: results.summary.passed,
      fail: 0,
    });
    const events = readFileSync(join(out, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { v: number; type: string });
    expect(events.every((e) => e.v === 1)).toBe(true);
    expect(events[0]!.type).toBe('run-start');
    expect(events.at(-1)!.type).toBe('run-end');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    // the json reporter prints results to stdout too
    expect(r.stdout).toContain('"status": "passed"');
    expect(results.measurements.map((m) => m.name)).toEqual(
      expect.arrayContaining(['governance.mtta', 'governance.mttr']),
    );
  });

  it('github reporter writes the job summary and outputs under GitHub Actions', async () => {
    const out = tempDir();
    const summary = join(out, 'summary.md');
    const outputs = join(out, 'outputs.txt');
    // the Actions runner creates both files before the step runs
    writeFileSync(summary, '');
    writeFileSync(outputs, '');
    const r = await cli(
      ['run', '--suite', 'governance', '--out', out, '--defect', 'governance-placeholder'],
      {
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputs },
      },
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /^::error title=failed%3A governance › no placeholder code,file=suites\/governance\/code-and-licences\.test\.ts,line=\d+::/m,
    );
    expect(readFileSync(summary, 'utf8')).toContain('no placeholder code');
    expect(readFileSync(outputs, 'utf8')).toMatch(/status<<[\s\S]*failed/);
  });
});
