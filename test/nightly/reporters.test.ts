// Flaky and quarantined cases in every reporter, each read back by an independent
// reader where one exists (JUnit XSD, tap-parser).
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../reporters/junit.ts';
import { renderTap } from '../../reporters/tap.ts';
import { renderHtml } from '../../reporters/html.ts';
import { summaryMarkdown } from '../../reporters/github.ts';
import { consoleReporter } from '../../reporters/console.ts';
import { junitErrors, parseTap } from '../helpers/reports.ts';
import { historyReport } from '../../harness/history/report.ts';
import { openHistory } from '../../harness/history/store.ts';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.ts';
import { seededHistory, synthEvents, synthRun } from './helpers/synth.ts';
import type { RunReport } from '../../harness/history/run-report.ts';

function mixed(): RunReport {
  return synthRun({
    index: 1,
    cases: [
      { title: 'one in five', attempts: ['passed', 'failed', 'passed', 'passed', 'passed'] },
      { title: 'known bad', attempts: ['failed', 'failed', 'failed', 'failed', 'failed'] },
      { title: 'steady', attempts: ['passed', 'passed', 'passed', 'passed', 'passed'] },
    ],
    policy: {
      repeat: 5,
      quarantine: [
        { pattern: '*known bad', reason: 'upstream #7', owner: 'boot-team', expires: '2099-01-01' },
      ],
    },
  });
}

describe('reporters show flaky and quarantined cases', () => {
  it('JUnit: a flaky property, the quarantined failure as skipped, valid against the XSD', async () => {
    const xml = renderJunit(mixed());
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml).toContain('<property name="flaky.one in five" value="flaky: 5 attempts, 1 failed"/>');
    expect(xml).toMatch(
      /<skipped message="failed, quarantined until 2099-01-01 \(boot-team: upstream #7\)">/,
    );
    expect(xml).toMatch(/failures="0" errors="0" skipped="1"/);
  });

  it('TAP: the flaky case is ok with a flaky diagnostic; the quarantined failure is a TODO', async () => {
    const tap = renderTap(mixed());
    expect(tap).toMatch(/^ok \d+ - boot > one in five\n {2}---\n {2}flaky: true/m);
    expect(tap).toMatch(/^not ok \d+ - boot > known bad # TODO quarantined until 2099-01-01$/m);
    // a TODO failure does not make the stream fail
    expect(await parseTap(tap)).toMatchObject({ ok: true, count: 3, pass: 2 });
  });

  it('GitHub summary: a flaky column', () => {
    const md = summaryMarkdown(mixed());
    expect(md).toContain('<th>flaky</th>');
    expect(md).toContain('⚠️ flaky: 5 attempts, 1 failed');
    expect(md).toContain('quarantined until 2099-01-01');
  });

  it('console: attempt numbers as they come, a FLAKY line and the counts at the end', () => {
    let out = '';
    const rep = consoleReporter({ outDir: '/tmp/x', secrets: [], write: (t) => (out += t), env: {} });
    const r = mixed();
    for (const e of synthEvents({
      index: 1,
      cases: [{ title: 'one in five', attempts: ['passed', 'failed'] }],
    }))
      rep.onEvent?.(e);
    rep.onEnd?.(r);
    expect(out).toContain('[repeat, attempt 2]');
    expect(out).toContain('~ FLAKY boot › one in five (flaky: 5 attempts, 1 failed)');
    expect(out).toContain(
      '~ failed but quarantined until 2099-01-01 (boot-team: upstream #7): boot › known bad',
    );
    expect(out).toMatch(
      /3 passed|2 passed, 0 failed, 0 skipped, 0 infrastructure errors, 1 flaky, 1 quarantined — passed/,
    );
  });

  it('HTML: FLAKY marks and, from the history, boot median/p95 per run and flake rates', async () => {
    const store = await openHistory(join(tempDir(), 'h.db'), process.cwd());
    for (const r of seededHistory(11, 1100)) await store.record(r);
    const r = mixed();
    r.history = await historyReport(store, { last: 20 });
    await store.close();
    const html = renderHtml(r);
    expect(html).toMatch(
      /<details class="case st-flaky" data-status="flaky"[^>]*><summary><span class="icon" title="flaky">/,
    );
    expect(html).toContain('History: the last 11 recorded runs');
    expect(html).toMatch(/<svg[^>]*aria-label="boot\.cold trend">/);
    // one point per run on both lines
    expect(html.match(/ median [\d.]+ ms<\/title>/g)?.length).toBe(11);
    expect(html.match(/ p95 [\d.]+ ms<\/title>/g)?.length).toBe(11);
    expect(html).toMatch(/boot\.cold \(reference\) regressed: median [\d.]+ → [\d.]+ ms \(\+\d+\.\d %/);
    // 'fails one run in five' failed in runs 2 and 7 of 11
    expect(html).toContain('<td class="num st-flaky">18.2 %</td>');
  });
});
