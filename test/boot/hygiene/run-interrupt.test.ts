// `cohesix-qa run --suite boot` interrupted while a vitest worker is in the
// middle of a cold boot (boot-hang, long timeout): no QEMU survives, neither
// the shared instance of the main process nor the worker's cold boot.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnManaged } from '../../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../../harness/paths.ts';
import { CLI, tempDir } from '../../helpers/cli.ts';
import { instancesDir } from '../../../harness/qemu/reap.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function instances(stateRoot: string): Array<{ pid: number; label: string }> {
  const dir = instancesDir(stateRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((d) => join(dir, d, 'instance.json'))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { pid: number; label: string });
}

describe('interrupting a boot suite run', () => {
  test.each(['SIGINT', 'SIGKILL'] as const)(
    '%s mid cold boot leaves no QEMU within 2 s',
    async (signal) => {
      const dir = tempDir('cqa-run-int-');
      const stateRoot = join(dir, 'state');
      const config = join(dir, 'cohesix-qa.config.json');
      writeFileSync(
        config,
        JSON.stringify({ targets: { reference: { stateDir: stateRoot } }, boot: { timeoutMs: 60_000 } }),
      );
      const child = spawnManaged(
        process.execPath,
        [
          CLI,
          'run',
          '--config',
          config,
          '--suite',
          'boot',
          '--defect',
          'boot-hang',
          '--out',
          join(dir, 'out'),
        ],
        {
          label: 'cohesix-qa under test',
          cwd: PROJECT_ROOT,
          env: { GITHUB_ACTIONS: '' },
          timeoutMs: 120_000,
        },
      );
      // wait until the worker's cold boot (label cold-boot-1) is running next to the shared instance
      const until = Date.now() + 90_000;
      let seen: Array<{ pid: number; label: string }> = [];
      while (Date.now() < until) {
        seen = instances(stateRoot);
        if (seen.some((i) => i.label.startsWith('cold-boot')) && seen.some((i) => i.label === 'boot-shared'))
          break;
        await sleep(100);
      }
      expect(seen.map((i) => i.label).sort()).toEqual(['boot-shared', 'cold-boot-1']);
      process.kill(child.pid, signal);
      await child.exited;
      const end = Date.now() + 2000;
      while (Date.now() < end && seen.some((i) => alive(i.pid))) await sleep(20);
      expect(seen.filter((i) => alive(i.pid))).toEqual([]);
    },
    150_000,
  );
});
