// The boot suite through the real CLI against the other target kinds: an
// image in QEMU given only by config (the qemu target), and a lab board
// behind serial-over-TCP with power commands (the reference image standing in).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../../helpers/cli.ts';
import type { RunResults } from '../../../harness/results/model.ts';
import {
  startSer2netBridge,
  standInPowerCommands,
  type Ser2netBridge,
} from '../../../reference/boot/lab-standin.ts';
import { BUILD_DIR, ensureReferenceImages, imagePath } from '../reference-images.ts';

function results(out: string): RunResults {
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
}

const signed = {
  publicKey: join(BUILD_DIR, 'test-signing-key.pub.pem'),
  manifestFile: join(BUILD_DIR, 'SHA256SUMS'),
};

let bridge: Ser2netBridge | undefined;

beforeAll(async () => {
  await ensureReferenceImages();
}, 120_000);

afterAll(async () => {
  await bridge?.close();
});

describe('boot suite on the qemu target', () => {
  test('a user image given by config passes every boot case', async () => {
    const dir = tempDir('cqa-qemu-target-');
    const config = join(dir, 'cohesix-qa.config.json');
    writeFileSync(
      config,
      JSON.stringify({ target: 'qemu', boot: { image: imagePath('ok'), bootRuns: 2, ...signed } }),
    );
    const out = join(dir, 'out');
    const r = await cli(['run', '--config', config, '--suite', 'boot', '--reporter', 'json', '--out', out]);
    const res = results(out);
    expect(res.cases.filter((c) => c.status !== 'passed').map((c) => c.fullTitle)).toEqual([]);
    expect(res.cases.length).toBeGreaterThanOrEqual(12);
    expect(r.exitCode).toBe(0);
  }, 180_000);

  test('a tampered image is refused before QEMU starts: a product failure, not an infrastructure one', async () => {
    const dir = tempDir('cqa-qemu-tampered-');
    const config = join(dir, 'cohesix-qa.config.json');
    writeFileSync(
      config,
      JSON.stringify({ target: 'qemu', boot: { image: imagePath('boot-tampered'), bootRuns: 1, ...signed } }),
    );
    const out = join(dir, 'out');
    const r = await cli(['run', '--config', config, '--suite', 'boot', '--reporter', 'json', '--out', out]);
    const res = results(out);
    const failed = res.cases.filter((c) => c.status !== 'passed');
    expect(failed.map((c) => c.status)).not.toContain('infra');
    expect(failed.map((c) => c.fullTitle)).toContain(
      'boot: artifact > image signature and manifest verify before boot',
    );
    expect(failed.map((c) => c.fullTitle)).toContain(
      'boot: cold boot > reaches the boot stage within budget over N cold boots',
    );
    expect(JSON.stringify(failed)).toMatch(
      /not booted: .*boot-tampered\.elf failed verification before boot/,
    );
    expect(r.exitCode).toBe(1);
  }, 180_000);
});

describe('boot suite on the lab target', () => {
  test('a board behind serial-over-TCP, powered by commands, passes every boot case', async () => {
    bridge = await startSer2netBridge();
    const dir = tempDir('cqa-lab-target-');
    const power = standInPowerCommands({
      image: imagePath('ok'),
      boardPort: bridge.boardPort,
      stateDir: join(dir, 'board'),
    });
    const config = join(dir, 'cohesix-qa.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        target: 'lab',
        targets: { lab: { name: 'standin', serial: { host: '127.0.0.1', port: bridge.serialPort }, power } },
        // t0 on a board is power-on, so the stand-in's budget includes QEMU starting up
        boot: { image: imagePath('ok'), bootRuns: 2, budgetMs: 10_000, ...signed },
      }),
    );
    const out = join(dir, 'out');
    const r = await cli(['run', '--config', config, '--suite', 'boot', '--reporter', 'json', '--out', out]);
    const res = results(out);
    expect(
      res.cases
        .filter((c) => c.status !== 'passed')
        .map((c) => `${c.fullTitle}: ${JSON.stringify(c).slice(0, 600)}`),
    ).toEqual([]);
    expect(r.exitCode).toBe(0);
    // the target stopped: the board is powered off
    expect(() => readFileSync(join(dir, 'board', 'board.pid'))).toThrow();
  }, 180_000);
});
