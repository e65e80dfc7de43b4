import type { Command } from 'commander';
import { accessSync, constants } from 'node:fs';
import type { BrowserDiscovery } from '../../gui/find-browser.ts';
// the process runner, the config loader and the browser finder (playwright-core) are
// loaded inside the action: every other command's start-up would pay for them

interface Tool {
  name: string;
  /** what it is needed for */
  for: string;
  probe: () => Promise<string | undefined>;
  install: string;
}

async function versionOf(
  bin: string,
  args: string[],
  pick = (s: string) => s.split('\n')[0]!.trim(),
): Promise<string | undefined> {
  const { runCommand } = await import('../../process/spawn.ts');
  const r = await runCommand(bin, args, { timeoutMs: 10_000 });
  if (r.spawnError || r.exitCode === undefined || (r.exitCode !== 0 && !r.stdout && !r.stderr))
    return undefined;
  return pick(r.stdout || r.stderr) || undefined;
}

export const TOOLS: Tool[] = [
  {
    name: 'qemu-system-aarch64',
    for: 'booting aarch64 images (boot, release)',
    probe: () => versionOf('qemu-system-aarch64', ['--version']),
    install: 'sudo apt-get install -y qemu-system-arm',
  },
  {
    name: 'qemu-system-x86_64',
    for: 'booting x86_64 images',
    probe: () => versionOf('qemu-system-x86_64', ['--version']),
    install: 'sudo apt-get install -y qemu-system-x86',
  },
  {
    name: 'kvm',
    for: 'hardware acceleration (optional; TCG works without)',
    probe: async () => {
      try {
        accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
        return '/dev/kvm usable';
      } catch {
        return undefined;
      }
    },
    install: 'enable virtualization and add your user to the kvm group (sudo usermod -aG kvm $USER)',
  },
  {
    name: 'aarch64-linux-gnu-gcc',
    for: 'building the reference guest image',
    probe: () => versionOf('aarch64-linux-gnu-gcc', ['--version']),
    install: 'sudo apt-get install -y gcc-aarch64-linux-gnu',
  },
  {
    name: 'openssl',
    for: 'the test PKI (mutual TLS)',
    probe: () => versionOf('openssl', ['version']),
    install: 'sudo apt-get install -y openssl',
  },
  {
    name: 'diod',
    for: '9P interoperability tests and benchmark',
    probe: () => versionOf('/usr/sbin/diod', ['--version'], (s) => s.split('\n')[0]!.trim()),
    install: 'sudo apt-get install -y diod',
  },
];

const BROWSER_FOR = 'the GUI suite (dashboard in a real browser) and the HTML report test';

/** which Chromium the gui suite would launch, and where it looked */
async function browserRow(
  configured: string | undefined,
): Promise<{ discovery: BrowserDiscovery; version?: string }> {
  const { findBrowser } = await import('../../gui/find-browser.ts');
  const discovery = findBrowser({ configured });
  if (!discovery.found) return { discovery };
  return { discovery, version: (await versionOf(discovery.found.path, ['--version'])) ?? 'version unknown' };
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('show which tools are present, with versions, and how to install what is missing')
    .option('--json', 'print as JSON')
    .option('--config <file>', 'config whose gui.browserPath is honoured (default: cohesix-qa.config.* here)')
    .action(async (opts: { json?: boolean; config?: string }) => {
      const { loadConfig } = await import('../../config/load.ts');
      const { BROWSER_INSTALL_HINT, describeLooks } = await import('../../gui/find-browser.ts');
      const { config } = await loadConfig(opts.config);
      const configured = typeof config.gui?.browserPath === 'string' ? config.gui.browserPath : undefined;
      const [rows, browser] = await Promise.all([
        Promise.all(TOOLS.map(async (t) => ({ ...t, version: await t.probe() }))),
        browserRow(configured),
      ]);
      const found = browser.discovery.found;
      const chromiumRow = {
        name: 'chromium',
        present: !!found,
        version: browser.version,
        for: BROWSER_FOR,
        install: found ? undefined : BROWSER_INSTALL_HINT,
        path: found?.path,
        source: found?.source,
        looked: browser.discovery.looked,
      };
      if (opts.json) {
        const tools = rows.map(({ name, version, install, for: f }) => ({
          name,
          present: !!version,
          version,
          for: f,
          install: version ? undefined : install,
        }));
        process.stdout.write(JSON.stringify([...tools, chromiumRow], null, 2) + '\n');
        return;
      }
      process.stdout.write(`node ${process.version}\n`);
      for (const r of rows) {
        process.stdout.write(
          r.version
            ? `✓ ${r.name}: ${r.version}\n`
            : `✗ ${r.name}: missing — needed for ${r.for}\n    install: ${r.install}\n`,
        );
      }
      process.stdout.write(
        found
          ? `✓ chromium: ${browser.version} at ${found.path} (from ${found.source})\n`
          : `✗ chromium: none usable — needed for ${BROWSER_FOR}\n    install: ${BROWSER_INSTALL_HINT}\n`,
      );
      process.stdout.write(`    looked at: ${describeLooks(browser.discovery)}\n`);
    });
}
