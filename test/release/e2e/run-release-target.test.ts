// `cohesix-qa run --target release --bundle <dir> --suite release` through the
// real CLI: the reference bundle booted by the release target kind, its console
// reached through release.console (the reference emulation, served here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../../helpers/cli.ts';
import { writeFakeBundle } from '../../../reference/release/bundle.ts';
import { ReleaseConsoleServer } from '../../../reference/release/console-server.ts';
import { ReleaseNamespace } from '../../../reference/release/namespace.ts';
import { mintTicket } from '../../../reference/release/tickets.ts';
import { sha256File } from '../../../harness/release/bundle.ts';
import { IMAGE_BUILD_DIR, buildReferenceImages } from '../../../reference/boot/service.ts';

let server: ReleaseConsoleServer;
const secret = randomBytes(32);
const dir = tempDir('cqa-release-e2e-');

beforeAll(async () => {
  await buildReferenceImages();
  for (const [name, tamper] of [
    ['ok', undefined],
    ['tampered', 'rootserver'],
  ] as const)
    writeFakeBundle(join(dir, name), {
      elfloader: join(IMAGE_BUILD_DIR, 'release-gic2.elf'),
      gicVersion: '2',
      tamper,
    });
  const ns = new ReleaseNamespace(
    {
      release: 'e2e',
      profile: 'release',
      target: 'aarch64-virt',
      gic_version: '2',
      manifest_sha256: sha256File(join(dir, 'ok/image/manifest.json')),
      binaries: '4',
      console: 'tcp:31337',
    },
    ['worker-1', 'worker-2'],
  );
  server = new ReleaseConsoleServer({
    token: 'e2e-token',
    ticketSecret: secret,
    namespace: ns,
    cooldownMs: 1000,
  });
  const port = await server.listen();
  writeFileSync(
    join(dir, 'cohesix-qa.config.json'),
    JSON.stringify({
      release: {
        token: 'e2e-token',
        cooldownMs: 1000,
        console: { host: '127.0.0.1', port },
        worker: { id: 'worker-1', ticket: mintTicket(secret, 'worker-heartbeat', 'worker-1') },
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('run --target release --bundle', () => {
  it('passes every release case against the reference bundle', async () => {
    const r = await cli(
      [
        'run',
        '--target',
        'release',
        '--bundle',
        join(dir, 'ok'),
        '--suite',
        'release',
        '--reporter',
        'json',
        '--out',
        join(dir, 'out-ok'),
      ],
      { cwd: dir, timeoutMs: 90_000 },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const results = readFileSync(join(dir, 'out-ok', 'results.json'), 'utf8');
    expect(results).not.toContain('e2e-token');
  }, 100_000);

  it('fails the manifest case (a product failure naming the file) when a file was changed', async () => {
    const r = await cli(
      [
        'run',
        '--target',
        'release',
        '--bundle',
        join(dir, 'tampered'),
        '--suite',
        'release',
        '--grep',
        'manifest.json',
        '--out',
        join(dir, 'out-bad'),
      ],
      { cwd: dir, timeoutMs: 90_000 },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/rootserver \(rootserver\): sha256 expected/);
  }, 100_000);

  it('names the missing piece when --bundle is not a release folder', async () => {
    const r = await cli(
      ['run', '--target', 'release', '--bundle', dir, '--suite', 'release', '--out', join(dir, 'out-usage')],
      {
        cwd: dir,
        timeoutMs: 60_000,
      },
    );
    expect(r.exitCode, 'a usage error').toBe(2);
    expect(r.stdout + r.stderr).toMatch(/image\/gic-version.txt is missing/);
  }, 70_000);
});
