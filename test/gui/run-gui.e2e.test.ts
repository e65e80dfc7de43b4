// The GUI suite end to end through the real CLI against the reference target: every
// case passes in a real browser, the dashboard screenshot is in the evidence, the
// timings are recorded, and the generated password reaches no report.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../helpers/cli.ts';
import type { RunResults } from '../../harness/results/model.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('cohesix-qa run --suite gui', () => {
  it('passes against the reference target with a dashboard screenshot and no credentials in any report', async () => {
    const out = tempDir('cqa-gui-');
    const r = await cli(
      ['run', '--suite', 'gui', '--reporter', 'console,json,junit,tap,html', '--out', out],
      {
        timeoutMs: 300_000,
      },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(results.summary).toMatchObject({ status: 'passed', failed: 0, infraErrors: 0, total: 10 });
    const shots = filesUnder(join(out, 'evidence')).filter((f) => f.endsWith('dashboard-live.png'));
    expect(shots).toHaveLength(1);
    expect(readFileSync(shots[0]!).subarray(1, 4).toString()).toBe('PNG');
    expect(results.measurements.map((m) => m.name)).toEqual(
      expect.arrayContaining(['status-appear', 'dashboard-appear', 'status-timeout-drop']),
    );
    // the run's generated GUI password stays in the reference state dir (.cohesix-qa/runs/<id>/gui)
    const credFile = join(
      PROJECT_ROOT,
      '.cohesix-qa',
      'runs',
      results.runs[0]!.runId,
      'gui',
      'srv',
      'orch_user.json',
    );
    const { pass } = JSON.parse(readFileSync(credFile, 'utf8')) as { pass: string };
    const basic = Buffer.from(`operator:${pass}`).toString('base64');
    for (const f of filesUnder(out).filter((p) => !p.endsWith('.png'))) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes(pass) || text.includes(basic), `${f} holds the GUI credentials`).toBe(false);
    }
  });
});
