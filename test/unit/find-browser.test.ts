// Chromium is found where CI runners have it, not only at /usr/bin/chromium: on a
// fake PATH whose `chromium` is Ubuntu's snap shim (no snap here) and whose real
// browser is a wrapper named `chromium-browser` or a symlink named `google-chrome`.
import { afterAll, describe, expect, test } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { chromium } from 'playwright-core';
import { findBrowser } from '../../harness/gui/find-browser.ts';
import { CHROMIUM_FLAGS } from '../../harness/gui/browser.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';

const root = mkdtempSync(join(tmpdir(), 'find-browser-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** the machine's own Chromium, which the fakes below lead to */
function realChromium(): string {
  const d = findBrowser({ env: { PATH: process.env.PATH } });
  if (!d.found) throw new Error('this test needs a Chromium on the machine (scripts/setup.sh installs one)');
  return d.found.path;
}

function script(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function dir(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

// what Ubuntu's chromium deb installs as /usr/bin/chromium-browser and /usr/bin/chromium
const SNAP_SHIM = `if ! [ -x /snap/bin/chromium ]; then
    echo "Command '$0' requires the chromium snap to be installed." >&2
    exit 1
fi
exec /snap/bin/chromium "$@"`;

const CLEAN = { HOME: '/nonexistent', PLAYWRIGHT_BROWSERS_PATH: '/nonexistent' };

describe('finding Chromium', () => {
  const real = realChromium();
  const shims = dir('ubuntu-bin');
  script(join(shims, 'chromium'), SNAP_SHIM);
  const wrapped = dir('wrapper-bin');
  script(join(wrapped, 'chromium-browser'), `exec "${real}" "$@"`);
  const linked = dir('chrome-bin');
  symlinkSync(real, join(linked, 'google-chrome'));

  test('skips a snap shim named chromium and finds a wrapper named chromium-browser, which starts', async () => {
    const d = findBrowser({ env: { ...CLEAN, PATH: [shims, wrapped].join(':') } });
    expect(d.found).toEqual({ source: 'PATH chromium-browser', path: join(wrapped, 'chromium-browser') });
    expect(d.looked.find((l) => l.path === join(shims, 'chromium'))?.rejected).toMatch(
      /snap transitional shim/,
    );
    const browser = await chromium.launch({
      executablePath: d.found!.path,
      args: CHROMIUM_FLAGS,
      timeout: 30_000,
    });
    try {
      expect(browser.version()).toMatch(/^\d+\./);
    } finally {
      await browser.close();
    }
  });

  test('finds a symlink named google-chrome when nothing else is on PATH', () => {
    const d = findBrowser({ env: { ...CLEAN, PATH: [shims, linked].join(':') } });
    expect(d.found).toEqual({ source: 'PATH google-chrome', path: join(linked, 'google-chrome') });
    expect(d.looked.map((l) => l.source)).toEqual([
      'gui.browserPath',
      'CHROME_PATH',
      'PATH chromium',
      'PATH chromium-browser',
      'PATH google-chrome',
    ]);
  });

  test('gui.browserPath, then CHROME_PATH, win over PATH; a missing explicit choice is not replaced', () => {
    const env = { ...CLEAN, PATH: linked, CHROME_PATH: join(wrapped, 'chromium-browser') };
    expect(findBrowser({ env, configured: real }).found).toEqual({ source: 'gui.browserPath', path: real });
    expect(findBrowser({ env }).found?.source).toBe('CHROME_PATH');
    const missing = findBrowser({ env: { ...env, CHROME_PATH: join(root, 'no-such-chrome') } });
    expect(missing.found).toBeUndefined();
    expect(missing.looked.at(-1)).toEqual({
      source: 'CHROME_PATH',
      path: join(root, 'no-such-chrome'),
      rejected: 'not there',
    });
  });

  test("Playwright's installed browsers, newest revision first, when PATH has none", () => {
    const pw = dir('ms-playwright');
    for (const rev of ['1100', '1255']) {
      mkdirSync(join(pw, `chromium-${rev}`, 'chrome-linux64'), { recursive: true });
      symlinkSync(real, join(pw, `chromium-${rev}`, 'chrome-linux64', 'chrome'));
    }
    const d = findBrowser({ env: { ...CLEAN, PATH: shims }, playwrightDir: pw });
    expect(d.found).toEqual({
      source: 'Playwright browsers',
      path: join(pw, 'chromium-1255', 'chrome-linux64', 'chrome'),
    });
    const none = findBrowser({ env: { ...CLEAN, PATH: shims }, playwrightDir: dir('empty') });
    expect(none.found).toBeUndefined();
    expect(none.looked.at(-1)).toMatchObject({
      source: 'Playwright browsers',
      rejected: 'no Chromium build there',
    });
  });

  test("setup.sh's check (scripts/chromium-present.sh) agrees: shim skipped, wrapper found, none is none", async () => {
    const present = (PATH: string) =>
      execa('/bin/bash', [join(PROJECT_ROOT, 'scripts/chromium-present.sh')], {
        env: { ...CLEAN, PATH },
        extendEnv: false,
        reject: false,
      });
    const found = await present([shims, wrapped].join(':'));
    expect([found.exitCode, found.stdout]).toEqual([0, join(wrapped, 'chromium-browser')]);
    const none = await present(shims);
    expect([none.exitCode, none.stdout]).toEqual([1, '']);
  });

  test('cohesix-qa doctor names the one it found and where it looked', async () => {
    const r = await execa(process.execPath, [join(PROJECT_ROOT, 'bin/cohesix-qa.js'), 'doctor', '--json'], {
      cwd: root,
      env: { ...CLEAN, PATH: [shims, wrapped].join(':') },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const row = (JSON.parse(r.stdout) as Array<Record<string, unknown>>).find((x) => x.name === 'chromium');
    expect(row).toMatchObject({
      present: true,
      path: join(wrapped, 'chromium-browser'),
      source: 'PATH chromium-browser',
      version: expect.stringMatching(/Chrom/),
    });
    expect(row?.looked).toContainEqual({
      source: 'PATH chromium',
      path: join(shims, 'chromium'),
      rejected: 'a snap transitional shim, and the snap is not installed',
    });
  });
});
