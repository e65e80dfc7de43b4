// `cohesix-qa run --target release --bundle <dir> --suite release` through the
// real CLI: the reference bundle (laid out like a real one: the manifest's
// entries inside a newc archive) booted by the release target kind, its
// console reached through release.console (the reference emulation, served here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../../helpers/cli.ts';
import { procBootLines, writeFakeBundle } from '../../../reference/release/bundle.ts';
import { ReleaseConsoleServer } from '../../../reference/release/console-server.ts';
import { ReleaseNamespace } from '../../../reference/release/namespace.ts';
import { mintTicket } from '../../../reference/release/tickets.ts';
import { CpioArchive } from '../../../harness/release/cpio.ts';
import { IMAGE_BUILD_DIR, buildReferenceImages } from '../../../reference/boot/service.ts';
import type { RunResults } from '../../../harness/results/model.ts';

let server: ReleaseConsoleServer;
const secret = randomBytes(32);
const dir = tempDir('cqa-release-e2e-');

function results(out: string): RunResults {
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
}

/** `run --target release --bundle <dir>/<bundle> --suite release --out <out>` plus `extra`, from the test folder */
function runRelease(bundle: string, out: string, extra: string[] = []) {
  return cli(
    [
      'run',
      '--target',
      'release',
      '--bundle',
      join(dir, bundle),
      '--suite',
      'release',
      '--out',
      out,
      ...extra,
    ],
    { cwd: dir, timeoutMs: 90_000 },
  );
}

const statuses = (r: RunResults): Record<string, string> =>
  Object.fromEntries(r.cases.map((c) => [c.title, c.status]));

beforeAll(async () => {
  await buildReferenceImages();
  const ok = writeFakeBundle(join(dir, 'ok'), {
    elfloader: join(IMAGE_BUILD_DIR, 'release-gic2.elf'),
    gicVersion: '2',
  });
  // one archived byte changed after the manifest was written, as a corrupted download would
  cpSync(join(dir, 'ok'), join(dir, 'tampered'), { recursive: true });
  const cpio = join(dir, 'tampered/image/cohesix-system.cpio');
  const entry = CpioArchive.open(cpio).get('cohesix/bin/nine-door')!;
  const bytes = readFileSync(cpio);
  bytes[entry.dataOffset + 5] = bytes[entry.dataOffset + 5]! ^ 0x01;
  writeFileSync(cpio, bytes);
  // a bundle that does not boot: the kernel is built for GICv2, the bundle says 3
  writeFakeBundle(join(dir, 'no-boot'), {
    elfloader: join(IMAGE_BUILD_DIR, 'release-gic2.elf'),
    gicVersion: '3',
  });
  const ns = new ReleaseNamespace(procBootLines(ok), ['worker-1', 'worker-2']);
  server = new ReleaseConsoleServer({
    token: 'e2e-token',
    ticketSecret: secret,
    namespace: ns,
    cooldownMs: 1000,
  });
  const port = await server.listen();
  const release = { token: 'e2e-token', cooldownMs: 1000, console: { host: '127.0.0.1', port } };
  writeFileSync(
    join(dir, 'cohesix-qa.config.json'),
    JSON.stringify({
      release: {
        ...release,
        worker: { id: 'worker-1', ticket: mintTicket(secret, 'worker-heartbeat', 'worker-1') },
      },
    }),
  );
  // no worker configured
  writeFileSync(join(dir, 'no-worker.config.json'), JSON.stringify({ release }));
  // no console either: only the booted guest's forwarded port
  writeFileSync(join(dir, 'guest-console.config.json'), JSON.stringify({ release: { token: 'e2e-token' } }));
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('run --target release --bundle', () => {
  it('passes every release case against the reference bundle', async () => {
    const r = await runRelease('ok', join(dir, 'out-ok'), ['--reporter', 'json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'out-ok', 'results.json'), 'utf8');
    expect(text).not.toContain('e2e-token');
    // every case judged and passed: the manifest case checked the archive, none skipped
    expect(results(join(dir, 'out-ok')).cases.filter((c) => c.status !== 'passed')).toEqual([]);
  }, 100_000);

  it('fails the manifest case naming the entry when one archived byte was changed', async () => {
    const out = join(dir, 'out-bad');
    const r = await runRelease('tampered', out, ['--grep', 'CPIO archive', '--reporter', 'console,json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /cohesix\/bin\/nine-door \(nine-door\): manifest.json says sha256 [0-9a-f]{64}, the archived file hashes to [0-9a-f]{64}/,
    );
    const manifestCase = results(out).cases.find((c) => c.title.includes('CPIO archive'))!;
    expect(manifestCase.status).toBe('failed');
    // exactly one problem, naming the tampered entry
    expect(manifestCase.error?.problems?.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^the bundle does not match its manifest: cohesix\/bin\/nine-door \(nine-door\): /,
      ),
    ]);
  }, 100_000);

  it('skips the worker case with its reason when no worker is configured, and fails it with --require', async () => {
    const args = (out: string, ...more: string[]) =>
      runRelease('ok', out, [
        '--config',
        join(dir, 'no-worker.config.json'),
        '--grep',
        'heartbeat worker',
        '--reporter',
        'json',
        ...more,
      ]);
    const skipped = await args(join(dir, 'out-no-worker'));
    expect(skipped.exitCode, skipped.stdout + skipped.stderr).toBe(0);
    const c = results(join(dir, 'out-no-worker')).cases.find((x) => x.title.includes('heartbeat worker'))!;
    expect(c.status).toBe('skipped');
    expect(c.evidence.map((e) => e.excerpt).join('\n')).toContain(
      'not judged: release.worker is not configured: no heartbeat worker configured: set release.worker { id, ticket }',
    );
    const required = await args(join(dir, 'out-require'), '--require', 'release.worker');
    expect(required.exitCode, required.stdout + required.stderr).toBe(1);
    const f = results(join(dir, 'out-require')).cases.find((x) => x.title.includes('heartbeat worker'))!;
    expect(f.status).toBe('failed');
    expect(f.error?.message).toContain(
      'release.worker is required for this run (--require or release.require) but not configured',
    );
    const typo = await args(join(dir, 'out-typo'), '--require', 'release.wroker');
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr + typo.stdout).toMatch(
      /--require release.wroker: not a case group\n\s+fix: use one of release.worker/,
    );
  }, 200_000);

  it('a bundle that does not boot fails the boot case; the console cases are not judged, none crashes', async () => {
    const out = join(dir, 'out-no-boot');
    const r = await runRelease('no-boot', out, [
      '--config',
      join(dir, 'guest-console.config.json'),
      '--reporter',
      'json',
    ]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const res = results(out);
    const s = statuses(res);
    expect(Object.entries(s).filter(([, v]) => v === 'failed')).toEqual([
      [expect.stringMatching(/^boots to the console/), 'failed'],
    ]);
    const consoleCases = res.cases.filter((c) => c.fullTitle.startsWith('release: console'));
    expect(consoleCases.length).toBeGreaterThan(5);
    for (const c of consoleCases) {
      expect(c.status, c.title).toBe('skipped');
      expect(c.evidence.map((e) => e.excerpt).join('\n'), c.title).toMatch(
        /not judged: the bundle did not boot to its console \(boot died: fault line "[^"]*KERNEL DATA ABORT!/,
      );
    }
    expect(JSON.stringify(res)).not.toMatch(/TypeError|Cannot read properties/);
  }, 100_000);

  it('names the missing piece when --bundle is not a release folder', async () => {
    const r = await runRelease('.', join(dir, 'out-usage'));
    expect(r.exitCode, 'a usage error').toBe(2);
    expect(r.stdout + r.stderr).toMatch(/image\/gic-version.txt is missing/);
  }, 70_000);
});
