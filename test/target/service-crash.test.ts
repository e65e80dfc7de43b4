// A reference service that dies mid-run is the target failing, not the product: the real
// CLI runs secure9p and governance, the secure9p `reference serve` child is SIGKILLed
// after the area's first case has ended, and the run must still finish and write its
// reports — the area's later failures reported as infrastructure errors naming the crash
// with the child's stderr, the other suite untouched, the infrastructure-error exit code.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnManaged } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';
import { CLI, tempDir } from '../helpers/cli.ts';

interface CaseResult {
  suite: string;
  title: string;
  status: string;
  error?: { message: string };
}

/** bounded poll; the error names what was awaited and what was seen last */
async function waitFor<T>(what: string, boundMs: number, probe: () => T | undefined, last: () => string) {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > boundMs) throw new Error(`waited ${boundMs} ms for ${what}; last seen: ${last()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Event = { type: string; case?: { suite: string; id: string } };

function events(out: string): Event[] {
  const file = join(out, 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Event);
}

/** the CLI's direct child serving one area (setpriv execs it, so it is the child itself) */
function serveChild(cliPid: number, area: string): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (ppid === cliPid && cmd.includes(`reference serve --area ${area} `)) return Number(name);
    } catch {
      // exited while we looked
    }
  }
  return undefined;
}

describe('a reference service crashing mid-run', () => {
  it("turns the area's later failures into infrastructure errors naming the crash; the run finishes", async () => {
    const out = tempDir('cqa-crash-');
    const run = spawnManaged(
      process.execPath,
      [CLI, 'run', '--suite', 'secure9p,governance', '--out', out, '--reporter', 'json,junit'],
      { label: 'cli:crash-test', cwd: PROJECT_ROOT, env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } },
    );
    let stderr = '';
    run.child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-3000)));
    run.child.stdout?.resume();
    try {
      const first = await waitFor(
        'the first secure9p case to end',
        180_000,
        () => events(out).find((e) => e.type === 'case-end' && e.case?.suite === 'secure9p')?.case?.id,
        () => `${events(out).length} events; CLI stderr: ${stderr.slice(-300) || '(nothing)'}`,
      );
      const victim = serveChild(run.pid, 'secure9p');
      expect(victim, 'the secure9p serve child of the CLI').toBeDefined();
      process.kill(victim!, 'SIGKILL');
      const exit = await Promise.race([
        run.exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`the run did not finish within 240 s of the kill`)), 240_000),
        ),
      ]);
      expect(exit.exitCode, `CLI stderr: ${stderr}`).toBe(3);
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
        summary: { status: string; infraErrors: number; failed: number };
        cases: Array<CaseResult & { id: string }>;
      };
      expect(results.summary.status).toBe('infra-error');
      expect(results.summary.failed).toBe(0);
      const s9p = results.cases.filter((c) => c.suite === 'secure9p');
      const crashed = s9p.filter((c) => c.status === 'infra-error');
      // the first case ended before the kill; the ones ending after it met the server dead (a
      // pass then, e.g. "a client without a certificate is refused" by a closed port, says nothing)
      expect(s9p.find((c) => c.id === first)?.status).toBe('passed');
      expect(crashed.length).toBeGreaterThan(s9p.length / 2);
      for (const c of crashed)
        expect(c.error?.message, c.title).toMatch(
          new RegExp(
            `the reference secure9p service crashed: \`cohesix-qa reference serve --area secure9p\` \\(pid ${victim}\\) exited[^\\n]* during the run; its stderr ended:\\n[\\s\\S]*\\n(the case failed meanwhile: |the case passed, but against a service that had stopped)`,
          ),
        );
      const governance = results.cases.filter((c) => c.suite === 'governance');
      expect(governance.length).toBeGreaterThan(0);
      expect(governance.filter((c) => c.status !== 'passed').map((c) => c.title)).toEqual([]);
      expect(existsSync(join(out, 'junit.xml'))).toBe(true);
    } finally {
      await run.stop(2000);
    }
  }, 480_000);
});
