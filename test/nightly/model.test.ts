// Folding attempts: flaky verdicts, retries of infrastructure errors, --fail-on-flaky,
// quarantine (live, expired) and merging repeated runs, all through the real model.
import { describe, expect, it } from 'vitest';
import { foldEvents, exitCodeFor, type RunResults } from '../../harness/results/model.ts';
import { composeRunReport } from '../../harness/history/run-report.ts';
import { validate } from '../../harness/schemas/registry.ts';
import { patternMatches, isExpired, loadQuarantine } from '../../harness/nightly/quarantine.ts';
import { synthEvents, synthRun } from './helpers/synth.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.ts';

// results.json is the run report: the folded results composed with the history's findings (none here)
const valid = (r: RunResults) => validate('results', JSON.parse(JSON.stringify(composeRunReport(r))));
const Q = (pattern: string, expires = '2099-12-31') => ({
  pattern,
  reason: 'known bug #12',
  owner: 'boot-team',
  expires,
});

describe('attempts', () => {
  it('a case that failed one attempt in five is passed and flaky; the run passes', () => {
    const r = synthRun({
      index: 1,
      cases: [
        { title: 'one in five', attempts: ['passed', 'failed', 'passed', 'passed', 'passed'] },
        { title: 'steady', attempts: ['passed', 'passed', 'passed', 'passed', 'passed'] },
      ],
    });
    const c = r.cases.find((x) => x.title === 'one in five')!;
    expect(c).toMatchObject({ status: 'passed', flaky: true, durationMs: 50 });
    expect(c.attempts!.map((a) => a.status)).toEqual(['passed', 'failed', 'passed', 'passed', 'passed']);
    expect(c.error?.message).toBe('boom');
    expect(r.cases.find((x) => x.title === 'steady')!.flaky).toBeUndefined();
    expect(r.summary).toMatchObject({ status: 'passed', passed: 2, flaky: 1, failed: 0 });
    expect(valid(r)).toEqual([]);
  });

  it('--fail-on-flaky makes a flaky case fail the run', () => {
    const r = synthRun({
      index: 1,
      cases: [{ title: 'x', attempts: ['failed', 'passed'] }],
      policy: { failOnFlaky: true, repeat: 2 },
    });
    expect(r.summary.status).toBe('failed');
    expect(exitCodeFor(r.summary.status)).toBe(1);
    expect(r.policy).toMatchObject({ failOnFlaky: true, repeat: 2 });
  });

  it('an infrastructure error retried into a pass is passed, not flaky; only infra errors stay infra', () => {
    const r = synthRun({
      index: 1,
      cases: [
        { title: 'hiccup', attempts: ['infra-error', 'passed'] },
        { title: 'down', attempts: ['infra-error', 'infra-error'] },
        { title: 'real', attempts: ['infra-error', 'failed'] },
      ],
    });
    const by = new Map(r.cases.map((c) => [c.title, c]));
    expect(by.get('hiccup')).toMatchObject({ status: 'passed' });
    expect(by.get('hiccup')!.flaky).toBeUndefined();
    expect(by.get('down')!.status).toBe('infra-error');
    expect(by.get('real')!.status).toBe('failed');
    expect(r.summary.status).toBe('failed');
  });

  it('merging separate runs treats each as attempts: a case failing 1 run in 5 is flaky', () => {
    const streams = [0, 1, 2, 3, 4].map((i) =>
      synthEvents({ index: i, cases: [{ title: 'x', attempts: [i === 2 ? 'failed' : 'passed'] }] }),
    );
    const r = foldEvents(streams);
    expect(r.cases[0]).toMatchObject({ flaky: true, status: 'passed' });
    expect(r.runs).toHaveLength(5);
  });

  it('an attempt that started and never ended counts as an infrastructure error attempt', () => {
    const ev = synthEvents({ index: 1, cases: [{ title: 'x', attempts: ['passed'] }] });
    const start = ev.find((e) => e.type === 'case-start')!;
    const killed = [...ev.filter((e) => e.type !== 'run-end'), { ...start, seq: 99, attempt: 2 }];
    const r = foldEvents([killed as typeof ev]);
    expect(r.cases[0]!.attempts!.map((a) => a.status)).toEqual(['passed', 'infra-error']);
    expect(r.summary.status).toBe('interrupted');
  });
});

describe('quarantine', () => {
  it('a quarantined failure is reported but does not fail the run', () => {
    const r = synthRun({
      index: 1,
      cases: [
        { title: 'known bad', attempts: ['failed'] },
        { title: 'fine', attempts: ['passed'] },
      ],
      policy: { quarantine: [Q('boot::*::known bad')] },
    });
    const c = r.cases.find((x) => x.title === 'known bad')!;
    expect(c.status).toBe('failed');
    expect(c.quarantine).toMatchObject({ owner: 'boot-team' });
    expect(r.summary).toMatchObject({ status: 'passed', failed: 0, quarantined: 1 });
    expect(valid(r)).toEqual([]);
  });

  it('an expired entry fails the run and no longer protects its case', () => {
    // synthetic runs start on 2030-01-01
    const r = synthRun({
      index: 1,
      cases: [{ title: 'known bad', attempts: ['passed'] }],
      policy: { quarantine: [Q('boot::*::known bad', '2029-12-31')] },
    });
    expect(r.quarantine!.expired).toEqual([Q('boot::*::known bad', '2029-12-31')]);
    expect(r.cases[0]!.quarantine).toBeUndefined();
    expect(r.summary.status).toBe('failed');
  });

  it('an entry is live through its expiry day', () => {
    expect(isExpired(Q('x', '2030-01-01'), '2030-01-01T23:59:59.000Z')).toBe(false);
    expect(isExpired(Q('x', '2030-01-01'), '2030-01-02T00:00:00.000Z')).toBe(true);
  });

  it('patterns: * spans any characters, everything else is literal, the whole id must match', () => {
    expect(patternMatches('boot::*::cold boot', 'boot::suites/boot/a.test.ts::cold boot')).toBe(true);
    expect(patternMatches('boot::*', 'secure9p::x::y')).toBe(false);
    expect(patternMatches('a.b', 'axb')).toBe(false);
    expect(patternMatches('cold', 'boot::f::cold boot')).toBe(false);
  });

  it('a malformed quarantine file is a usage error naming the file and the fix', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'q.json'), JSON.stringify({ entries: [{ pattern: 'x', owner: 'me' }] }));
    expect(() => loadQuarantine('q.json', dir)).toThrow(/q\.json[\s\S]*fix: each entry needs/);
    expect(() => loadQuarantine('missing.json', dir)).toThrow(/not found[\s\S]*fix:/);
    expect(loadQuarantine(undefined, dir).entries).toEqual([]);
  });
});
