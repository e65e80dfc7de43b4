// `cohesix-qa coh check` (exit 0 / 1 / 2) and, end to end, a failing `.coh`
// case whose GitHub annotation lands on the script's line, workspace-relative.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../helpers/cli.ts';
import type { RunResults } from '../../harness/results/model.ts';
import { validate } from '../../harness/schemas/registry.ts';

describe('coh check', () => {
  it('passes the project pack (exit 0)', async () => {
    const r = await cli([
      'coh',
      'check',
      'reference/coh/pack/attach-ping.coh',
      'reference/coh/pack/sessions.coh',
    ]);
    expect(r.stdout.trim()).toBe('2 scripts OK');
    expect(r.exitCode).toBe(0);
  });

  it('lists each problem as file:line: problem (exit 1)', async () => {
    const d = tempDir();
    const f = join(d, 'bad.coh');
    writeFileSync(f, `attach queen\nfrob\nWAIT 5000\n${'ping\n'.repeat(260)}`);
    const r = await cli(['coh', 'check', f]);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      `${f}:2: unknown command "frob" (known: attach, log, tail, cat, ls, echo, ping, spawn, kill, bind, mount, lifecycle, telemetry, pool, quit, detach, EXPECT, WAIT)`,
      `${f}:3: WAIT 5000: at most 2000 ms per WAIT`,
      `${f}:257: the script has 263 lines; .coh scripts are capped at 256`,
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('an unreadable file or no file is a usage error (exit 2)', async () => {
    const missing = await cli(['coh', 'check', '/nonexistent/x.coh']);
    expect(missing.stderr).toContain('/nonexistent/x.coh: cannot read the script (ENOENT)');
    expect(missing.exitCode).toBe(2);
    expect((await cli(['coh', 'check'])).exitCode).toBe(2);
  });
});

describe('coh suite on the reference target', () => {
  it('a failing script is one case whose message and GitHub annotation point at the .coh line', async () => {
    const ws = tempDir();
    mkdirSync(join(ws, 'ci'), { recursive: true });
    writeFileSync(join(ws, 'ci', 'smoke.coh'), '# smoke\nattach queen\nping\nEXPECT ERR\nquit\n');
    const out = tempDir();
    const r = await cli(
      [
        'run',
        '--suite',
        'coh',
        '--coh',
        join(ws, 'ci/*.coh'),
        '--reporter',
        'github,json',
        '--history',
        'off',
        '--out',
        out,
      ],
      { env: { GITHUB_WORKSPACE: ws }, timeoutMs: 180_000 },
    );
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    const c = results.cases.find((x) => x.fullTitle === 'coh > smoke.coh');
    expect(c?.status).toBe('failed');
    expect(c?.error?.message.split('\n')[0]).toBe(
      'ci/smoke.coh:4: EXPECT ERR — last ack: OK PING reply=pong',
    );
    expect(c?.error?.location).toEqual({ file: 'ci/smoke.coh', line: 4 });
    expect(r.stdout).toMatch(
      /::error title=failed%3A coh › coh > smoke\.coh,file=ci\/smoke\.coh,line=4::ci\/smoke\.coh:4: EXPECT ERR/,
    );
    expect(c?.evidence.map((e) => e.name)).toContain('coh-transcript.txt');
    // the on-target self-tests ran too, and their run was written in `test --json` shape
    const report = JSON.parse(readFileSync(join(out, 'coh-test-report.json'), 'utf8')) as {
      ok: boolean;
      mode: string;
      checks: Array<{ name: string }>;
    };
    expect(validate('coh-test-report', report)).toEqual([]);
    expect({ ok: report.ok, mode: report.mode }).toEqual({ ok: true, mode: 'quick' });
    expect(report.checks.map((x) => x.name)).toContain('selftest_quick.coh: preflight/ping');
    expect(r.exitCode).toBe(1);
  }, 200_000);
});
