// The HTML report as text: what it contains and that nothing it shows can
// become markup. The Chromium tests (chromium.test.ts) check the page in use.
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reporters/html.ts';
import { validate } from '../../harness/schemas/registry.ts';
import type { CaseError } from '../../harness/results/events.ts';
import { HOSTILE, syntheticResults } from './synthetic.ts';

const failing = (message: string, extra: Partial<CaseError> & { problems?: unknown } = {}) => ({
  status: 'failed' as const,
  error: { name: 'AssertionError', message, ...extra },
});

describe('html report: content', () => {
  it('the synthetic runs conform to the results schema', () => {
    expect(validate('results', syntheticResults())).toEqual([]);
    expect(validate('results', syntheticResults({ failures: { 80: failing('x') } }))).toEqual([]);
  });

  it('needs no network: no external script, style, image or font', () => {
    const html = renderHtml(syntheticResults());
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('lists failures, infrastructure errors and flaky cases before every passed case, opened', () => {
    const html = renderHtml(
      syntheticResults({
        failures: {
          100: failing('the last suite failed'),
          50: { status: 'infra-error', error: { name: 'InfraError', message: 'no endpoint answered' } },
          20: { flaky: true, error: { name: 'AssertionError', message: 'once' } },
        },
      }),
    );
    const firstPassed = html.indexOf('data-status="passed"');
    for (const s of ['failed', 'infra-error', 'flaky']) {
      const at = html.indexOf(`data-status="${s}"`);
      expect(at, `${s} row`).toBeGreaterThan(0);
      expect(at, `${s} row before the first passed row`).toBeLessThan(firstPassed);
      expect(html.slice(at - 80, at)).toContain('class="case st-');
    }
    expect(html.match(/<details class="case[^>]*\sopen>/g)).toHaveLength(3);
    // passed rows stay folded
    expect(html).not.toMatch(/data-status="passed"[^>]*\sopen>/);
  });

  it('shows the whole message and the diff of an error, and every problem when there is a list', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i} of the message`).join('\n');
    const html = renderHtml(
      syntheticResults({
        failures: {
          3: failing(long, { diff: '- expected\n+ received\n  uptime: "12s"' }),
          4: failing('3 problems in /api/status', {
            problems: [
              { message: 'uptime is not an integer', path: 'uptime', expected: 'integer', found: '"12s"' },
              { message: 'gpu is missing', path: 'gpu', expected: 'an object' },
              { message: 'no request was refused in 70' },
            ],
          }),
        },
      }),
    );
    expect(html).toContain('line 39 of the message');
    expect(html).toContain('+ received\n  uptime: &quot;12s&quot;');
    const list = /<ol class="problems" aria-label="3 problems">([\s\S]*?)<\/ol>/.exec(html)?.[1];
    expect(list, 'a list of the three problems').toBeDefined();
    expect(list!.match(/<li>/g)).toHaveLength(3);
    expect(list).toContain('<dt>at</dt><dd><code>uptime</code></dd>');
    expect(list).toContain('<dt>found</dt><dd><code>&quot;12s&quot;</code></dd>');
    expect(list).toContain('<dt>expected</dt><dd><code>an object</code></dd>');
    expect(list).toContain('no request was refused in 70');
  });

  it('shows every attempt of a retried case with its error', () => {
    const html = renderHtml(
      syntheticResults({
        failures: {
          7: {
            status: 'failed',
            error: { name: 'AssertionError', message: 'second failure' },
            attempts: [
              {
                attempt: 1,
                status: 'failed',
                durationMs: 5,
                error: { name: 'AssertionError', message: 'first failure' },
              },
              {
                attempt: 2,
                status: 'failed',
                durationMs: 5,
                retry: true,
                error: { name: 'AssertionError', message: 'second failure' },
              },
            ],
          },
        },
      }),
    );
    expect(html).toContain('first failure');
    expect(html).toContain('attempt 2 (retry): failed');
  });

  it('escapes hostile text everywhere it is shown', () => {
    const r = syntheticResults({
      failures: {
        0: {
          ...failing(HOSTILE, {
            diff: HOSTILE,
            problems: [{ message: HOSTILE, path: HOSTILE, found: HOSTILE }],
          }),
          title: HOSTILE,
          fullTitle: HOSTILE,
          suite: `x" onmouseover="alert(1)`,
          evidence: [
            { name: HOSTILE, path: 'javascript:alert(1)', contentType: HOSTILE, excerpt: HOSTILE },
            { name: 'ok', path: `e/"><script>alert(1)</script>`, contentType: 'text/plain' },
          ],
        },
      },
    });
    r.measurements[0]!.name = HOSTILE;
    r.runs[0]!.provenance.targetName = HOSTILE;
    const html = renderHtml(r);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('" onmouseover=');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
  });

  it('draws the boot timeline as a waterfall per boot with the budget line', () => {
    const html = renderHtml(syntheticResults({ bootMs: [61, 58, 250, 260, 270] }));
    const svg = /<svg[^>]*aria-label="boot timeline">[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    for (let i = 1; i <= 5; i++) expect(svg).toContain(`boot ${i} `);
    expect(svg).toContain('budget 200 ms to boot_ok');
    expect(svg.match(/class="budget"/g)).toHaveLength(1);
    expect(svg).toMatch(/boot 3 <tspan class="bad">250 ms/);
    expect(html).toContain('✗ over 200 ms');
  });

  it('draws history sparklines only when the run carries a history', () => {
    const r = syntheticResults();
    expect(renderHtml(r)).toContain(
      'aria-label="cold boot to boot_ok: median over the last 6 recorded runs, last 62 ms"',
    );
    delete r.history;
    expect(renderHtml(r)).not.toContain('class="spark"');
  });

  it('lists every trend of the history store and the flake rate of intermittent cases, opened when there are any', () => {
    const r = syntheticResults();
    const quiet = renderHtml(r);
    expect(quiet).toMatch(/<details class="hist" id="history"><summary>History: the last 6 recorded runs/);
    expect(quiet.match(/<svg class="trend"[^>]*aria-label="[^"]+ trend">/g)).toHaveLength(2);
    expect(quiet).toContain('no case failed intermittently');
    r.history!.flakeRates.push({
      caseId: r.cases[5]!.id,
      runs: 6,
      attempts: 6,
      failedRuns: 2,
      flakyRuns: 0,
      flakeRate: 2 / 6,
      flaky: true,
    });
    const flaky = renderHtml(r);
    expect(flaky).toMatch(/<details class="hist" id="history" open>/);
    expect(flaky).toContain('<td class="num st-flaky">33.3 %</td><td>failed in 2 of 6 runs</td>');
    expect(flaky).toContain('title="failed in 2 of 6 recorded runs">flake rate 33 %');
  });
});
