import { describe, expect, it, beforeEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtNum } from '../../reporters/format.ts';
import { renderJunit } from '../../reporters/junit.ts';
import { renderTap } from '../../reporters/tap.ts';
import { renderHtml } from '../../reporters/html.ts';
import {
  githubReporter,
  summaryMarkdown,
  MAX_ANNOTATIONS,
  annotationBody,
  ANNOTATION_LIMIT,
} from '../../reporters/github.ts';
import { formatProblems, type Problem } from '../../harness/results/problem.ts';
import type { RunResults, CaseResult } from '../../harness/results/model.ts';
import { junitErrors, parseTap } from '../helpers/reports.ts';

function results(n: { passed: number; failed: number; infra: number; skipped: number }): RunResults {
  const cases: CaseResult[] = [];
  const add = (status: CaseResult['status'], i: number) =>
    cases.push({
      id: `s::suites/s/a.test.ts::${status} ${i}`,
      suite: i % 2 ? 'boot' : 'governance',
      file: 'suites/s/a.test.ts',
      title: `${status} ${i} <b>&"x"#1`,
      fullTitle: `${status} ${i} <b>&"x"#1`,
      line: 3 + i,
      status,
      durationMs: 12,
      error:
        status === 'failed' || status === 'infra-error'
          ? {
              name: status === 'failed' ? 'AssertionError' : 'InfraError',
              message: `boom <script>alert(1)</script>\nsecond line \u0001`,
              location: { file: 'suites/s/a.test.ts', line: 3 + i },
            }
          : undefined,
      evidence:
        status === 'failed'
          ? [{ name: 'serial', path: 'evidence/x/serial', contentType: 'text/plain', excerpt: 'last line' }]
          : [],
    });
  for (let i = 0; i < n.passed; i++) add('passed', i);
  for (let i = 0; i < n.failed; i++) add('failed', i);
  for (let i = 0; i < n.infra; i++) add('infra-error', i);
  for (let i = 0; i < n.skipped; i++) add('skipped', i);
  return {
    version: 1,
    runs: [
      {
        runId: 'r',
        startedAt: '2029-03-31T10:00:00.000Z',
        provenance: {
          harnessVersion: '0.1.0',
          targetKind: 'reference',
          targetName: 'reference',
          node: 'v20',
          host: 'ci',
        },
      },
    ],
    summary: {
      total: cases.length,
      passed: n.passed,
      failed: n.failed,
      skipped: n.skipped,
      infraErrors: n.infra,
      flaky: 0,
      quarantined: 0,
      status: n.failed ? 'failed' : 'passed',
    },
    cases,
    measurements: [
      {
        caseId: 'x',
        suite: 'boot',
        name: 'boot.cold',
        unit: 'ms',
        samples: [50, 60, 70],
        min: 50,
        median: 60,
        p95: 70,
        max: 70,
        statistic: 'median',
        budgetMs: 200,
        withinBudget: true,
        detail: { stages: [{ name: 'COHESIX_BOOT_OK', hostMs: 60, budgetMs: 200 }] },
      },
    ],
    unhandledErrors: [],
  };
}

describe('junit', () => {
  it('validates against the Ant JUnit schema and counts failures and errors apart', async () => {
    const xml = renderJunit(results({ passed: 3, failed: 2, infra: 1, skipped: 1 }));
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml).toContain('type="InfraError"');
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml.match(/<error /g)).toHaveLength(1);
    expect(xml).not.toContain('\u0001');
  });
  it('an invalid document is caught by the same check', async () => {
    expect(await junitErrors('<testsuites><testsuite name="x"/></testsuites>')).not.toEqual([]);
  });
});

describe('tap', () => {
  it('parses back to the same counts', async () => {
    const r = results({ passed: 4, failed: 2, infra: 1, skipped: 2 });
    const counts = await parseTap(renderTap(r));
    expect(counts).toMatchObject({ count: 9, fail: 3, skip: 2, ok: false });
    expect(counts.pass).toBe(6); // tap-parser counts a # SKIP point as ok
  });
});

describe('html', () => {
  it('is one self-contained file that escapes what it shows', () => {
    const html = renderHtml(results({ passed: 1, failed: 1, infra: 0, skipped: 0 }));
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('aria-label="boot timeline"');
  });
});

describe('github', () => {
  let out: string;
  let summary: string;
  let outputs: string;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-'));
    summary = join(dir, 'summary.md');
    outputs = join(dir, 'output');
    writeFileSync(summary, '');
    writeFileSync(outputs, '');
    out = '';
  });

  it('annotates at most 10 failures, then one notice; writes summary and outputs; masks secrets', async () => {
    const env = { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputs };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const writes: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (writes.push(String(s)), true)) as typeof process.stdout.write;
    try {
      const r = githubReporter({ outDir: '.', secrets: ['s3cr3t-token'], write: () => {}, env });
      const res = results({ passed: 2, failed: 12, infra: 1, skipped: 0 });
      res.cases[3]!.error!.message += ' s3cr3t-token';
      await r.onEnd!(res);
    } finally {
      process.stdout.write = orig;
      process.env = saved;
    }
    out = writes.join('');
    expect(out).toContain('::add-mask::s3cr3t-token');
    const annotations = out.split('\n').filter((l) => /^::(error|warning) /.test(l));
    expect(annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(annotations[0]).toMatch(/file=suites\/s\/a\.test\.ts,line=\d+/);
    expect(out).toMatch(/::notice title=cohesix-qa::3 more failures — see the job summary/);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('&lt;script&gt;');
    expect(md).not.toContain('<script>');
    expect(readFileSync(outputs, 'utf8')).toMatch(/failed<<[\s\S]*12/);
  });

  it('keeps the summary under 1 MiB however many cases there are', () => {
    const md = summaryMarkdown(results({ passed: 0, failed: 20_000, infra: 0, skipped: 0 }));
    expect(md.length).toBeLessThan(1024 * 1024);
    expect(md).toMatch(/more cases not shown/);
  });
});

describe('numbers in reports', () => {
  it('a statistic with no samples reads as a dash, not NaN, and survives a JSON round trip', () => {
    expect(fmtNum(Number.NaN)).toBe('—');
    const viaJson = (JSON.parse(JSON.stringify({ median: Number.NaN })) as { median: number | null }).median;
    expect(fmtNum(viaJson)).toBe('—');
    expect(fmtNum(4.556)).toBe('4.56');
    expect(fmtNum(200)).toBe('200');
  });
});

describe('a case with many problems', () => {
  const problems: Problem[] = Array.from({ length: 120 }, (_, i) => ({
    message: `worker w${i} reports no heartbeat <in time>`,
    path: `/worker_statuses/${i}/last_seen`,
    expected: 'within 30 s',
    found: `${60 + i} s`,
  }));
  const c = {
    ...results({ passed: 0, failed: 1, infra: 0, skipped: 0 }).cases[0]!,
    error: { name: 'ProblemsError', message: formatProblems(problems), problems },
  };
  it('the GitHub annotation shows whole problems within its limit and counts the rest', () => {
    const body = annotationBody(c);
    expect(body.length).toBeLessThanOrEqual(ANNOTATION_LIMIT);
    const shown = body.split('\n').filter((l) => l.startsWith('- ')).length;
    expect(shown).toBeGreaterThan(10);
    expect(body).toContain(`(+${120 - shown} more problems: see the job summary)`);
  });
  it('the job summary, JUnit, TAP and HTML carry all of them', () => {
    const r = { ...results({ passed: 0, failed: 0, infra: 0, skipped: 0 }), cases: [c] };
    const md = summaryMarkdown(r);
    const junit = renderJunit(r);
    const tap = renderTap(r);
    const html = renderHtml(r);
    for (const i of [0, 57, 119]) {
      expect(md).toContain(`worker w${i} reports no heartbeat &lt;in time&gt;`);
      expect(md).toContain(`found <code>${60 + i} s</code>`);
      expect(junit).toContain(`worker w${i} reports no heartbeat &lt;in time&gt;`);
      expect(tap).toContain(`path: /worker_statuses/${i}/last_seen`);
      expect(html).toContain(`<code>/worker_statuses/${i}/last_seen</code>`);
    }
    expect(junit).toContain('message="120 problems; first: worker w0 reports no heartbeat');
  });
});

describe('skip reasons and notes (reported, not failing)', () => {
  const r = results({ passed: 1, failed: 0, infra: 0, skipped: 1 });
  const skipped = r.cases.find((c) => c.status === 'skipped')!;
  skipped.skipReason = 'no heartbeat worker configured: set release.worker { id, ticket }';
  const passed = r.cases.find((c) => c.status === 'passed')!;
  passed.notes = ['uptime is a string; the contract gives no type (the reference sends an integer)'];

  it('every report says why a case was skipped', async () => {
    expect(renderTap(r)).toContain(
      '# SKIP no heartbeat worker configured: set release.worker { id, ticket }',
    );
    expect(renderJunit(r)).toContain(
      '<skipped message="no heartbeat worker configured: set release.worker { id, ticket }"/>',
    );
    expect(renderHtml(r)).toContain('skipped: no heartbeat worker configured');
    expect(summaryMarkdown(r)).toContain('skipped: no heartbeat worker configured');
    expect(await parseTap(renderTap(r))).toMatchObject({ skip: 1 });
  });

  it('the notes of a passing case reach the HTML report and the GitHub summary', () => {
    expect(renderHtml(r)).toContain('note: uptime is a string; the contract gives no type');
    expect(summaryMarkdown(r)).toContain('note: uptime is a string; the contract gives no type');
  });
});
