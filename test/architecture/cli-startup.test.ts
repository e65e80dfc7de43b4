// A CLI start-up that runs no command (`--version`, a command's `--help`) loads no
// heavy library: each command imports its modules inside its action
// (harness/cli/main.ts). A top-level import of one of these in a command module, an
// area manifest or what they import costs every cohesix-qa spawn a second of CPU.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCommand } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { CLI } from '../helpers/cli.ts';

const HEAVY = ['playwright-core', '@grpc/', '@aws-sdk/', 'vitest', 'execa', 'prom-client', 'ws/'];

async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const r = await runCommand(
    process.execPath,
    ['--import', join(PROJECT_ROOT, 'test', 'helpers', 'load-trace.mjs'), CLI, ...args],
    { timeoutMs: 60_000, cwd: PROJECT_ROOT },
  );
  expect(r.exitCode, `cohesix-qa ${args.join(' ')} should exit 0; stderr: ${r.stderr}`).toBe(0);
  const loaded = [...r.stderr.matchAll(/^loaded (.*)$/gm)].map((m) => m[1]!);
  expect(loaded.length, 'the load trace should list the modules the CLI loaded').toBeGreaterThan(10);
  return loaded.flatMap((url) => /\/node_modules\/(.*)$/.exec(url)?.[1] ?? []);
}

describe('a CLI start-up that runs no command', () => {
  // `run --help` names the reporters, so it loads their registry (ajv, @actions/core)
  it.each([
    [['--version'], [...HEAVY, 'ajv', '@actions/']],
    [['run', '--help'], HEAVY],
  ])('%j loads no heavy library', async (args, heavyList) => {
    const packages = await packagesLoadedBy(args);
    const heavy = heavyList.filter((h) => packages.some((p) => p.startsWith(h)));
    expect(
      heavy,
      `cohesix-qa ${args.join(' ')} loaded ${heavy.join(', ')}: import it inside the action`,
    ).toEqual([]);
  });
});
