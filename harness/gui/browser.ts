// One headless Chromium per vitest worker (found by find-browser.ts, driven by
// playwright-core), started in the background as soon as a GUI target is bound so
// its start-up overlaps the first HTTP-only cases. Playwright gives every launch a
// fresh temporary user-data-dir and removes it on close.
import { chromium, type Browser } from 'playwright-core';
import { InfraError } from '../errors.ts';
import { BROWSER_INSTALL_HINT, describeLooks, findBrowser } from './find-browser.ts';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LazyBrowser {
  get(): Promise<Browser>;
  close(): Promise<void>;
}

/** `configuredPath`: gui.browserPath; unset, the browser is looked for (find-browser.ts) */
export function launchBrowserInBackground(
  configuredPath: string | undefined,
  timeoutMs = 30_000,
): LazyBrowser {
  let launched: Promise<Browser> | undefined;
  const start = (): Promise<Browser> => {
    const discovery = findBrowser({ configured: configuredPath });
    if (!discovery.found) {
      return Promise.reject(
        new InfraError(
          `no usable Chromium was found; looked at ${describeLooks(discovery)}`,
          BROWSER_INSTALL_HINT,
        ),
      );
    }
    const executablePath = discovery.found.path;
    return chromium
      .launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: timeoutMs })
      .catch((e: unknown) => {
        throw new InfraError(
          `Chromium at ${executablePath} did not start within ${timeoutMs} ms: ${(e as Error).message.split('\n')[0]}`,
          'check that chromium runs headless on this host',
        );
      });
  };
  launched = start();
  // an unobserved rejection must not crash the worker before a test asks for the browser
  launched.catch(() => undefined);
  return {
    get: () => launched!,
    async close() {
      const b = await launched?.catch(() => undefined);
      launched = undefined;
      await b?.close().catch(() => undefined);
    },
  };
}
