// Every problem of a failed case reaches every report: the real CLI on a scripted
// suite (test/fixtures/suites/problems) whose cases fail with several problems
// recorded each way a check can (the problems fixture, soft assertions, a needed
// value), read back from console, results.json, JUnit, TAP, HTML and GitHub.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'tap-parser';
import { cli, tempDir } from '../helpers/cli.ts';
import { junitErrors } from '../helpers/reports.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { validate } from '../../harness/schemas/registry.ts';
import type { RunResults } from '../../harness/results/model.ts';

const SUITES = join(PROJECT_ROOT, 'test/fixtures/suites');
const SENTENCES = [
  '70 requests from one client, none refused (limit 60/min)',
  'the access log /log/gui_access.log has no rate-limit alert line',
  'q4 did not sign the window',
  'q5 did not sign the window',
  '/api/status does not match its schema',
];

describe('every problem of a failed case is reported', () => {
  it('in console, results.json, JUnit, TAP, HTML and GitHub annotations and summary', async () => {
    const out = tempDir();
    const summary = join(out, 'summary.md');
    writeFileSync(summary, '');
    const r = await cli(
      [
        'run',
        '--suite',
        'problems',
        '--out',
        out,
        '--history',
        'off',
        '--reporter',
        'console,junit,tap,html,github',
      ],
      { env: { COHESIX_QA_SUITES_DIR: SUITES, GITHUB_STEP_SUMMARY: summary } },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    expect(validate('results', results)).toEqual([]);
    const byTitle = (t: string) => results.cases.find((c) => c.title === t)!;

    // results.json: each problem once, structured; schema issues as path / expected / found
    const three = byTitle('three problems and a schema issue');
    expect(three.error!.problems!.map((p) => p.message)).toEqual(SENTENCES);
    expect(three.error!.problems![4]).toMatchObject({
      path: '/workers/0/uptime',
      expected: 'integer',
      found: 'string "3h"',
      location: { file: 'test/fixtures/suites/problems/problems.test.ts' },
    });
    expect(three.error!.location?.file).toBe('test/fixtures/suites/problems/problems.test.ts');
    expect(byTitle('two soft assertions').error!.problems!.map((p) => p.message.split(':')[0])).toEqual([
      'first soft check',
      'second soft check',
    ]);
    expect(
      byTitle('a needed value stops the case with the problems so far').error!.problems!.map(
        (p) => p.message,
      ),
    ).toEqual([
      'the earlier check saw a wrong role',
      'no LOAD ranges are configured for this target (boot.loadRanges)',
    ]);
    expect(byTitle('a passing case with a problems fixture').status).toBe('passed');
    expect(JSON.stringify(results)).not.toContain('more errors');

    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(await junitErrors(junit)).toEqual([]);
    const tap = readFileSync(join(out, 'results.tap'), 'utf8');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const gh = readFileSync(summary, 'utf8');
    const esc = (s: string) => s.replace(/"/g, '&quot;');
    for (const s of [...SENTENCES, 'second soft check', 'no LOAD ranges are configured']) {
      expect(r.stdout, `console shows "${s}"`).toContain(s);
      expect(junit, `JUnit shows "${s}"`).toContain(esc(s));
      expect(tap, `TAP shows "${s}"`).toContain(s);
      expect(html, `HTML shows "${s}"`).toContain(esc(s).replace(/'/g, '&#39;'));
      expect(gh, `the job summary shows "${s}"`).toContain(esc(s));
    }
    // schema problems print as path / expected / found
    expect(r.stdout).toContain('at /workers/0/uptime · expected integer · found string "3h"');
    expect(html).toMatch(/<dt>at<\/dt><dd><code>\/workers\/0\/uptime<\/code><\/dd>/);
    expect(gh).toContain('at <code>/workers/0/uptime</code> · expected <code>integer</code>');
    expect(junit).toContain('<failure message="5 problems; first: 70 requests from one client');
    // the annotation carries every problem (they fit its limit), newlines escaped as %0A
    const annotation = r.stdout
      .split('\n')
      .find((l) => l.startsWith('::error') && l.includes('three problems'));
    expect(annotation).toBeDefined();
    for (const s of SENTENCES) expect(annotation).toContain(s);

    // TAP: a valid stream, the problems in the failing point's YAML block
    const parsed = await new Promise<{ fail: number; failures: Array<{ diag?: { problems?: unknown[] } }> }>(
      (resolve) => {
        const p = new Parser((res) => resolve(res as never));
        p.end(tap);
      },
    );
    expect(parsed.fail).toBe(3);
    expect(parsed.failures.map((f) => f.diag?.problems?.length ?? 0).sort()).toEqual([2, 2, 5]);
  }, 120_000);
});
