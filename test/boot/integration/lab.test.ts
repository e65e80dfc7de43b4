// The lab target, tested honestly: the reference image in QEMU standing in
// for a board, behind a ser2net-like bridge, powered by shell commands.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabBoard } from '../../../harness/lab/board.ts';
import { defaultTimelineConfig } from '../../../harness/boot/timeline.ts';
import {
  startSer2netBridge,
  standInPowerCommands,
  type Ser2netBridge,
} from '../../../reference/boot/lab-standin.ts';
import { ensureReferenceImages, imagePath } from '../reference-images.ts';

let bridge: Ser2netBridge;
let board: LabBoard;
const stateDir = mkdtempSync(join(tmpdir(), 'cqa-lab-'));

beforeAll(async () => {
  await ensureReferenceImages();
  bridge = await startSer2netBridge();
  board = new LabBoard({
    name: 'standin-1',
    serial: { host: '127.0.0.1', port: bridge.serialPort },
    power: standInPowerCommands({ image: imagePath('ok'), boardPort: bridge.boardPort, stateDir }),
  });
}, 120_000);

afterAll(async () => {
  await board?.power('off');
  board?.disconnectSerial();
  await bridge?.close();
});

describe('lab board over serial-over-TCP with power commands', () => {
  test('a cold boot from power-on gives the full timeline; the console answers; power off ends it', async () => {
    const run = await board.coldBoot({ timeline: defaultTimelineConfig(), timeoutMs: 5000 });
    expect(run.error).toBeUndefined();
    expect(run.timeline.stages.every((s) => s.seen)).toBe(true);
    expect(run.timeline.inOrder).toBe(true);
    expect(run.timeline.bootMs).toBeGreaterThan(0);
    await board.capture!.waitFor(/self-tests: all passed/, { timeoutMs: 5000 });
    const console = board.console();
    expect((await console.run('cat /srv/cohrole')).lines).toEqual(['QueenPrimary']);
    await board.power('off');
    await expect(console.run('cat /srv/cohrole', { timeoutMs: 300 })).rejects.toThrow(/no framed answer/);
  });

  test('power cycle boots it again from the start', async () => {
    const first = await board.coldBoot({ timeline: defaultTimelineConfig(), timeoutMs: 5000 });
    expect(first.timeline.bootMs).toBeDefined();
    const capture = await board.connectSerial();
    await board.power('cycle');
    await capture.waitFor('ROOTSERVER ONLINE', { timeoutMs: 5000 });
    await board.power('off');
  });

  test('bad config and failing power commands are infrastructure errors that do not echo the command', async () => {
    expect(
      () =>
        new LabBoard({
          name: 'x',
          serial: { host: '127.0.0.1', port: 0 },
          power: { on: 'true', off: 'true' },
        }),
    ).toThrow(/serial must be/);
    const b = new LabBoard({
      name: 'pdu',
      serial: { host: '127.0.0.1', port: bridge.serialPort },
      power: { on: 'echo denied >&2; exit 7 # password=hunter2', off: 'true' },
    });
    const err = (await b.power('on').catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('InfraError');
    expect(err.message).toMatch(/power on command exited 7: denied/);
    expect(err.message).not.toContain('hunter2');
  });
});
