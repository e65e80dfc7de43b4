// The HTML report in real Chromium: no console errors, no network, the filters
// and the search box hide what they should, a 116-case passing run fits a few
// screens and a failure is visible without scrolling. With
// UPDATE_DOCS_SCREENSHOTS=1 it also writes docs/reporters/html-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../../reporters/html.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import type { RunResults } from '../../harness/results/model.ts';
import { HOSTILE, syntheticResults } from './synthetic.ts';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const VIEW = { width: 1280, height: 800 };

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROME_PATH`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 30_000 });
  dir = mkdtempSync(join(tmpdir(), 'html-report-'));
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

/** Render, open from a file:// URL and collect console errors, page errors and requests. */
async function open(r: RunResults, name: string, hash = ''): Promise<Opened> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderHtml(r));
  const page = await browser.newPage({ viewport: VIEW });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (q) => requests.push(q.url()));
  await page.goto(`file://${file}${hash}`, { waitUntil: 'load', timeout: 15_000 });
  return { page, problems, requests };
}

/** Titles of the case rows a reader can see. */
const visibleRows = (page: Page) =>
  page.$$eval('details.case', (els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => ({
        status: (e as HTMLElement).dataset.status!,
        suite: (e as HTMLElement).dataset.suite!,
        text: e.textContent!.toLowerCase(),
      })),
  );

/** The first screen, or one element (a selector), saved for docs/reporters/html.md. */
async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  if (process.env.UPDATE_DOCS_SCREENSHOTS !== '1') return;
  const out = join(PROJECT_ROOT, 'docs', 'reporters');
  mkdirSync(out, { recursive: true });
  if (selector) await page.locator(selector).screenshot({ path: join(out, name) });
  else await page.screenshot({ path: join(out, name), fullPage: false });
}

const failingRun = () =>
  syntheticResults({
    bootMs: [212, 230, 251, 224, 219],
    failures: {
      30: {
        status: 'failed',
        error: {
          name: 'AssertionError',
          message: '/api/status does not follow the contract: 2 problems',
          problems: [
            {
              message: 'uptime is missing',
              path: 'uptime',
              expected: 'a number of seconds',
              found: 'nothing',
            },
            { message: 'a 61st request in one minute was not refused (limit 60/min)' },
          ],
        } as RunResults['cases'][number]['error'],
        evidence: [
          {
            name: 'status.json',
            path: 'evidence/gui/status.json',
            contentType: 'application/json',
            excerpt: '{\n  "state": "ready"\n}',
          },
        ],
      },
      70: {
        status: 'infra-error',
        error: { name: 'InfraError', message: 'no 9P server answered at 127.0.0.1:5640 within 5000 ms' },
      },
      12: {
        flaky: true,
        attempts: [
          {
            attempt: 1,
            status: 'failed',
            durationMs: 40,
            error: { name: 'AssertionError', message: 'the console answered late' },
          },
          { attempt: 2, status: 'passed', durationMs: 38, retry: true },
        ],
        error: { name: 'AssertionError', message: 'the console answered late' },
      },
    },
  });

describe('html report in Chromium', () => {
  it('a 116-case passing run: no console errors, no network, fits within four screens', async () => {
    const { page, problems, requests } = await open(syntheticResults(), 'passing');
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(await page.$$eval('details.case', (e) => e.length)).toBe(116);
    expect(await page.$$eval('details.case[open]', (e) => e.length)).toBe(0);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height, `page height ${height} px`).toBeLessThanOrEqual(4 * VIEW.height);
    await screenshot(page, 'html-passing.png');
    await page.close();
  });

  it('a failing run: the failure, all its problems and its evidence are visible without scrolling', async () => {
    const { page, problems } = await open(failingRun(), 'failing');
    expect(problems).toEqual([]);
    const first = page.locator('details.case[data-status="failed"]').first();
    const box = await first.boundingBox();
    expect(box, 'the failed case is laid out').not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(
      box!.y + Math.min(box!.height, 200),
      'the failed case starts in the first viewport',
    ).toBeLessThanOrEqual(VIEW.height);
    expect(await first.locator('ol.problems li').allInnerTexts()).toEqual([
      expect.stringContaining('uptime is missing'),
      'a 61st request in one minute was not refused (limit 60/min)',
    ]);
    const problem = await first.locator('ol.problems li').nth(1).boundingBox();
    expect(problem!.y + problem!.height).toBeLessThanOrEqual(VIEW.height);
    expect(await first.locator('details.ev pre').isVisible()).toBe(true);
    // the rows that need attention come first, in this order
    expect((await visibleRows(page)).slice(0, 3).map((r) => r.status)).toEqual([
      'failed',
      'infra-error',
      'flaky',
    ]);
    await screenshot(page, 'html-failing.png');
    await screenshot(page, 'html-measurements.png', '#measurements');
    await page.close();
  });

  it('status chips, the suite selector and the search box show only matching rows', async () => {
    const { page, problems } = await open(failingRun(), 'filters');
    expect((await visibleRows(page)).length).toBe(116);

    await page.click('button[data-f="failed"]');
    expect((await visibleRows(page)).map((r) => r.status)).toEqual(['failed']);
    await page.click('button[data-f="passed"]');
    const passed = await visibleRows(page);
    expect(passed.length).toBe(113);
    expect(new Set(passed.map((r) => r.status))).toEqual(new Set(['passed']));
    expect(await page.isVisible('section[data-group="attention"]')).toBe(false);

    await page.selectOption('#suite', 'trace');
    const trace = await visibleRows(page);
    expect(trace.length).toBe(16);
    expect(trace.every((r) => r.suite === 'trace' && r.status === 'passed')).toBe(true);
    expect(await page.isVisible('section[data-group="boot"]')).toBe(false);

    await page.click('button[data-f="all"]');
    await page.selectOption('#suite', '');
    await page.keyboard.press('/');
    await page.keyboard.type('9P server answered');
    expect((await visibleRows(page)).map((r) => r.status)).toEqual(['infra-error']);

    await page.fill('#q', 'no such words anywhere');
    expect(await visibleRows(page)).toEqual([]);
    expect(await page.isVisible('#none')).toBe(true);

    // the filter lives in the URL: a link opens the same view
    await page.fill('#q', '');
    await page.click('button[data-f="flaky"]');
    expect(page.url()).toMatch(/#\?s=flaky$/);
    const linked = await open(failingRun(), 'filters', '#?s=failed&suite=gui');
    expect((await visibleRows(linked.page)).map((r) => [r.status, r.suite])).toEqual([['failed', 'gui']]);
    expect(problems).toEqual([]);
    expect(linked.problems).toEqual([]);
    await linked.page.close();
    await page.close();
  });

  it('hostile titles, messages and evidence stay text in the page', async () => {
    const r = syntheticResults({
      failures: {
        0: {
          status: 'failed',
          title: HOSTILE,
          fullTitle: HOSTILE,
          error: { name: 'AssertionError', message: HOSTILE, diff: HOSTILE },
          evidence: [
            {
              name: HOSTILE,
              path: 'javascript:window.__pwned=3',
              contentType: 'text/plain',
              excerpt: HOSTILE,
            },
          ],
        },
      },
    });
    const { page, problems } = await open(r, 'hostile');
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('main img, main script', (e) => e.length)).toBe(0);
    expect(await page.locator('details.case[data-status="failed"] .title').innerText()).toBe(HOSTILE);
    expect(await page.$$eval('a[href^="javascript:"]', (e) => e.length)).toBe(0);
    await page.close();
  });
});
