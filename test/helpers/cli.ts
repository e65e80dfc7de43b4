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

/**
 * The same CLI called in this process (harness/cli/main.ts main()), for cases that only
 * check how arguments or config are refused: no child to start. It captures what the
 * CLI itself writes (commander's messages, the error line); a command's own output to
 * process.stdout is not captured, so cases that read it spawn the real binary (cli()).
 */
export async function cliInProcess(
  args: string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { main } = await import('../../harness/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { exitCode, stdout, stderr };
}
