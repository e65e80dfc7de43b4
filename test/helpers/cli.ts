// Run the real CLI as a child process, the way a user or CI does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type CommandResult } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';

export const CLI = join(PROJECT_ROOT, 'bin', 'cohesix-qa.js');

export function tempDir(prefix = 'cqa-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function cli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return runCommand(process.execPath, [CLI, ...args], {
    timeoutMs: opts.timeoutMs ?? 120_000,
    cwd: opts.cwd ?? PROJECT_ROOT,
    // a CI environment must not turn on the github reporter in these runs
    env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_OUTPUT: '', ...opts.env },
  });
}
