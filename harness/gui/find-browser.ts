// Where the Chromium that drives the dashboard (and the HTML report's own test)
// is. CI runners differ: Debian has /usr/bin/chromium; GitHub's ubuntu-24.04 has
// google-chrome on PATH and an `apt-get install chromium` that is only a snap
// shim; a developer may have Playwright's own browsers. So, in order: the
// config's gui.browserPath, CHROME_PATH, `chromium`, `chromium-browser`,
// `google-chrome` on PATH, then Playwright's installed browsers. An explicit
// choice (config, CHROME_PATH) that is not there stops the search: testing with
// some other browser than the one asked for would be a surprise.
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

export const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

export interface BrowserLook {
  /** where: "gui.browserPath", "CHROME_PATH", "PATH chromium", "Playwright browsers" */
  source: string;
  /** the path tried (absent when the source was not set) */
  path?: string;
  /** why it was not taken; absent for the one found */
  rejected?: string;
}

export interface BrowserDiscovery {
  found?: { source: string; path: string };
  /** every place looked, in order, up to and including the one found */
  looked: BrowserLook[];
}

export interface FindBrowserOptions {
  /** gui.browserPath from the config */
  configured?: string;
  env?: NodeJS.ProcessEnv;
  /** Playwright's browser folder; default $PLAYWRIGHT_BROWSERS_PATH or ~/.cache/ms-playwright */
  playwrightDir?: string;
}

function executable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'not a file';
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not there' : 'not executable';
  }
}

/** Ubuntu's chromium / chromium-browser debs install a script that only execs the snap */
function snapShimWithoutSnap(path: string): boolean {
  try {
    if (statSync(path).size > 16_384) return false;
    const text = readFileSync(path, 'utf8');
    if (!/\/snap\/bin\/|requires the \S+ snap/.test(text)) return false;
    return executable('/snap/bin/chromium') !== undefined;
  } catch {
    return false;
  }
}

function judge(source: string, path: string): BrowserLook {
  const bad = executable(path);
  if (bad) return { source, path, rejected: bad };
  if (snapShimWithoutSnap(path))
    return { source, path, rejected: 'a snap transitional shim, and the snap is not installed' };
  return { source, path };
}

/** Playwright's installed Chromium builds, newest revision first, the pinned revision's path first of all */
function playwrightCandidates(dir: string, askRegistry: boolean): string[] {
  const out: string[] = [];
  // the registry answers for this process's environment only
  if (askRegistry) {
    try {
      out.push(chromium.executablePath());
    } catch {
      // a host Playwright has no build for: the folder scan below still runs
    }
  }
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  const rev = (n: string) => Number(/-(\d+)$/.exec(n)?.[1] ?? 0);
  for (const e of entries.sort((a, b) => rev(b) - rev(a))) {
    if (/^chromium-\d+$/.test(e))
      out.push(join(dir, e, 'chrome-linux64', 'chrome'), join(dir, e, 'chrome-linux', 'chrome'));
    else if (/^chromium_headless_shell-\d+$/.test(e))
      out.push(join(dir, e, 'chrome-headless-shell-linux64', 'chrome-headless-shell'));
  }
  return [...new Set(out)];
}

export function findBrowser(opts: FindBrowserOptions = {}): BrowserDiscovery {
  const env = opts.env ?? process.env;
  const looked: BrowserLook[] = [];
  const take = (l: BrowserLook): BrowserDiscovery | undefined => {
    looked.push(l);
    return l.rejected === undefined && l.path
      ? { found: { source: l.source, path: l.path }, looked }
      : undefined;
  };

  for (const [source, value] of [
    ['gui.browserPath', opts.configured],
    ['CHROME_PATH', env.CHROME_PATH],
  ] as const) {
    if (!value) {
      looked.push({ source, rejected: 'not set' });
      continue;
    }
    return take(judge(source, value)) ?? { looked };
  }

  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of PATH_NAMES) {
    const hits = dirs.map((d) => join(d, name)).filter((p) => executable(p) === undefined);
    if (hits.length === 0) looked.push({ source: `PATH ${name}`, rejected: 'not on PATH' });
    for (const p of hits) {
      const hit = take(judge(`PATH ${name}`, p));
      if (hit) return hit;
    }
  }

  const dir =
    opts.playwrightDir ??
    env.PLAYWRIGHT_BROWSERS_PATH ??
    join(env.HOME ?? homedir(), '.cache', 'ms-playwright');
  const builds = playwrightCandidates(
    dir,
    !opts.playwrightDir && env.PLAYWRIGHT_BROWSERS_PATH === process.env.PLAYWRIGHT_BROWSERS_PATH,
  );
  for (const p of builds) {
    const hit = take(judge('Playwright browsers', p));
    if (hit) return hit;
  }
  if (builds.length === 0)
    looked.push({ source: 'Playwright browsers', path: dir, rejected: 'no Chromium build there' });
  return { looked };
}

/** one line per place looked, for errors and `doctor` */
export function describeLooks(d: BrowserDiscovery): string {
  return d.looked
    .map((l) => `${l.source}${l.path ? ` (${l.path})` : ''}: ${l.rejected ?? 'found'}`)
    .join('; ');
}

export const BROWSER_INSTALL_HINT =
  'set gui.browserPath or CHROME_PATH, or install one: apt-get install chromium (Debian), ' +
  'google-chrome (GitHub ubuntu runners have it), or npx playwright-core install chromium';
