// A run interrupted or killed mid-way leaves an events.jsonl whose every line is
// valid, and no child process behind it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnManaged } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { CLI, tempDir, cli } from '../helpers/cli.ts';

const SLOW_SUITES = join(PROJECT_ROOT, 'test/fixtures/suites');

async function waitForSlowCase(events: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = existsSync(events) ? readFileSync(events, 'utf8') : '';
    if (last.includes('"title":"slow case"')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited ${timeoutMs} ms for the slow case to start; events so far:\n${last.slice(-2000)}`);
}

function lines(file: string): Array<{ v: number; type: string; status?: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { v: number; type: string });
}

describe('interrupting a run', () => {
  it.each(['SIGKILL', 'SIGINT', 'SIGTERM'] as const)(
    '%s mid-case leaves every line of events.jsonl valid',
    async (signal) => {
      const out = tempDir();
      const child = spawnManaged(process.execPath, [CLI, 'run', '--suite', 'slow', '--out', out], {
        label: 'cohesix-qa under test',
        cwd: PROJECT_ROOT,
        env: { COHESIX_QA_SUITES_DIR: SLOW_SUITES, GITHUB_ACTIONS: '' },
        timeoutMs: 90_000,
      });
      const events = join(out, 'events.jsonl');
      try {
        await waitForSlowCase(events);
        process.kill(child.pid, signal);
        const exit = await child.exited;
        const parsed = lines(events);
        expect(parsed.every((e) => e.v === 1)).toBe(true);
        expect(parsed[0]!.type).toBe('run-start');
        if (signal === 'SIGKILL') {
          expect(parsed.at(-1)!.type).not.toBe('run-end');
          // the merged view of a killed stream says so, and keeps the unfinished case
          const merged = await cli([
            'merge-reports',
            out,
            '--out',
            join(out, 'merged'),
            '--reporter',
            'json',
          ]);
          expect(merged.exitCode).toBe(130);
          expect(merged.stdout).toMatch(/"status": "interrupted"/);
        } else {
          expect(exit.exitCode).toBe(signal === 'SIGINT' ? 130 : 143);
          expect(parsed.at(-1)).toMatchObject({ type: 'run-end', status: 'interrupted' });
          const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
            summary: { status: string; passed: number };
          };
          expect(results.summary).toMatchObject({ status: 'interrupted', passed: 1 });
        }
      } finally {
        await child.stop(500);
      }
    },
  );
});
