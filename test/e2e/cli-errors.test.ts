// Bad input exits 2 with a message naming the place; a target without the
// resources a suite needs is an infrastructure error (exit 3), not a product failure.
import { describe, expect, it } from 'vitest';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, cli, cliInProcess, tempDir } from '../helpers/cli.ts';
import { runCommand } from '../../harness/process/spawn.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';

describe('usage and configuration errors exit 2', () => {
  it('a malformed config names the path, what was expected and what was found', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'cohesix-qa.config.json'),
      JSON.stringify({
        target: 'reference',
        governance: { root: 42 },
        targets: { qemu: {} },
        reporters: ['console', 'xml'],
      }),
    );
    const r = await cli(['run', '--suite', 'governance', '--out', join(dir, 'out')], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/cohesix-qa\.config\.json: governance\.root: expected string, found number 42/);
    expect(r.stderr).toMatch(/reporters\[1\]: expected one of/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/); // no stack trace
  });

  it('a TypeScript config with defineConfig is loaded, and a syntax error is reported, not thrown', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'cohesix-qa.config.ts'),
      "export default { suites: ['governance'], outDir: 'o', governance: { asOf: 'soon' } };\n",
    );
    let r = await cli(['run'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/governance\.asOf: expected a date, found "soon"/);
    writeFileSync(join(dir, 'cohesix-qa.config.ts'), 'export default {{\n');
    r = await cli(['run'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/cohesix-qa\.config\.ts: could not be loaded/);
  });

  it.each([
    [['run', '--suite', 'nope'], /--suite nope: no such suite/],
    [['run', '--defect', 'nope', '--suite', 'governance'], /--defect nope: no such defect mode/],
    [
      ['run', '--defect', 'boot-slow,boot-hang', '--suite', 'boot'],
      /boot-slow and boot-hang are caught by the same case[\s\S]*fix: run them in separate runs/,
    ],
    [
      ['run', '--target', 'qemu', '--defect', 'governance-placeholder'],
      /defect modes exist only on the reference target/,
    ],
    [['run', '--target', 'moon'], /--target moon: unknown target kind/],
    [['run', '--shard', '0/3'], /--shard 0\/3: expected <i>\/<n>/],
    [['run', '--reporter', 'xml'], /--reporter xml: unknown reporter/],
    [['validate', '--schema', 'nope', 'package.json'], /--schema nope/],
  ])('%j', async (args, message) => {
    // in-process: a refusal of arguments starts nothing a child process would add
    // (the real binary's usage errors are the spawned cases around this table)
    const r = await cliInProcess(args[0] === 'run' ? [...args, '--out', tempDir()] : args);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an unknown option is a usage error of the real binary, with the usage hint', async () => {
    const r = await cli(['run', '--no-such-flag', '--out', tempDir()]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
    expect(r.stderr).toMatch(/run with --help for usage/);
  });
});

describe('infrastructure errors exit 3', () => {
  it('a target without governance resources makes every governance case an infrastructure error', async () => {
    const out = tempDir();
    const r = await cli(['run', '--suite', 'governance', '--target', 'qemu', '--out', out]);
    expect(r.exitCode).toBe(3);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      summary: { failed: number; infraErrors: number; total: number };
    };
    expect(results.summary.failed).toBe(0);
    expect(results.summary.infraErrors).toBe(results.summary.total);
    expect(r.stdout).toMatch(/has no governance resources/);
  });
});

describe('other commands', () => {
  it('list names every governance case with its file and line', async () => {
    const r = await cli(['list', '--suite', 'governance']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /every file is registered in METADATA\.md {2}\(suites\/governance\/headers-and-registry\.test\.ts:\d+\)/,
    );
  });

  it('validate accepts a valid document and rejects an invalid one with exit 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ advisories: [] }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ advisories: [{ id: 'x' }] }));
    expect((await cli(['validate', '--schema', 'security-advisories', join(dir, 'a.json')])).exitCode).toBe(
      0,
    );
    const bad = await cli([
      'validate',
      '--schema',
      'https://cohesix.dev/qa/schemas/security-advisories.schema.json',
      join(dir, 'b.json'),
    ]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/advisories\[0\]\.priority: expected a value \(required\), found nothing/);
  });

  it('doctor reports tools with versions or the command to install them', async () => {
    const r = await cli(['doctor', '--json']);
    expect(r.exitCode).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{
      name: string;
      present: boolean;
      version?: string;
      install?: string;
    }>;
    expect(rows.map((x) => x.name)).toEqual(
      expect.arrayContaining([
        'qemu-system-aarch64',
        'qemu-system-x86_64',
        'kvm',
        'aarch64-linux-gnu-gcc',
        'chromium',
        'openssl',
      ]),
    );
    for (const row of rows) expect(row.present ? row.version : row.install).toBeTruthy();
    expect(rows.find((x) => x.name === 'openssl')?.version).toMatch(/OpenSSL/);
  });
});

describe('a reader that closes our output early', () => {
  // `cohesix-qa … | head` must neither crash on EPIPE nor lose the run's files
  it('costs neither the exit code nor results.json', async () => {
    const out = tempDir();
    const script = `node "${CLI}" run --suite governance --reporter console,json --out "${out}" | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`;
    const r = await runCommand('bash', ['-c', script], {
      timeoutMs: 120_000,
      cwd: PROJECT_ROOT,
      env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_OUTPUT: '' },
    });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled 'error'/);
    expect(r.stdout.trim()).toBe('exit=0');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { cases: unknown[] };
    expect(results.cases.length).toBeGreaterThan(0);
  });
});

describe('--grep', () => {
  it('takes a title as reports print it (" > " between describe and case)', async () => {
    const out = tempDir();
    const title = 'mutual TLS > a client without a certificate is refused';
    const r = await cli(['run', '--suite', 'secure9p', '--grep', title, '--reporter', 'json', '--out', out]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      cases: Array<{ fullTitle: string; status: string }>;
    };
    expect(results.cases.map((c) => [c.fullTitle, c.status])).toEqual([[title, 'passed']]);
  });

  it('that matches no case exits 2 and says how to find the titles', async () => {
    const r = await cli(['run', '--suite', 'governance', '--grep', 'no such case', '--out', tempDir()]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/--grep "no such case" matched no case of governance/);
    expect(r.stdout).toMatch(/cohesix-qa list --suite governance/);
  });
});
