// One headless Chromium per vitest worker (Debian's /usr/bin/chromium driven by
// playwright-core), started in the background as soon as a GUI target is bound so
// its start-up overlaps the first HTTP-only cases. Playwright gives every launch a
// fresh temporary user-data-dir and removes it on close.
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';
import { InfraError } from '../errors.ts';

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

export function launchBrowserInBackground(executablePath: string, timeoutMs = 30_000): LazyBrowser {
  let launched: Promise<Browser> | undefined;
  const start = (): Promise<Browser> => {
    if (!existsSync(executablePath)) {
      return Promise.reject(
        new InfraError(
          `no Chromium at ${executablePath}`,
          'apt-get install chromium, or set gui.browserPath',
        ),
      );
    }
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
