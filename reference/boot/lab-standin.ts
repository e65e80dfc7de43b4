// The reference lab board: the reference image in QEMU standing in for a
// board, behind a ser2net-like TCP bridge that listens whether the "board" is
// powered or not, with shell power commands that start and stop that QEMU.
// QEMU connects to the bridge as a chardev client before its guest runs, so
// as on a real rack, the harness sees the board's output from power-on.
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

/** the stand-in board: upstream's aarch64 virt machine (cohesix-release.md), named here for the reference alone */
const BOARD_QEMU = 'qemu-system-aarch64';
const BOARD_MACHINE = '-machine virt -cpu cortex-a57 -m 1024';

export interface Ser2netBridge {
  /** where the harness connects (the ser2net port) */
  serialPort: number;
  /** where the board's UART connects */
  boardPort: number;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
}

export async function startSer2netBridge(): Promise<Ser2netBridge> {
  let harness: Socket | undefined;
  let board: Socket | undefined;
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const harnessSide = createServer((s) => {
    track(s);
    harness?.destroy();
    harness = s;
    s.on('data', (d) => board?.write(d));
    s.on('close', () => {
      if (harness === s) harness = undefined;
    });
  });
  const boardSide = createServer((s) => {
    track(s);
    board?.destroy();
    board = s;
    s.on('data', (d) => harness?.write(d)); // dropped while nobody listens, like ser2net
    s.on('close', () => {
      if (board === s) board = undefined;
    });
  });
  const serialPort = await listen(harnessSide);
  const boardPort = await listen(boardSide);
  return {
    serialPort,
    boardPort,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => harnessSide.close(r)), new Promise((r) => boardSide.close(r))]);
    },
  };
}

/** shell power commands for the stand-in board: `on` starts QEMU daemonized, `off` stops it and waits */
export function standInPowerCommands(opts: {
  image: string;
  boardPort: number;
  stateDir: string;
  qemu?: string;
}): { on: string; off: string } {
  mkdirSync(opts.stateDir, { recursive: true });
  const pidfile = join(opts.stateDir, 'board.pid');
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const on = [
    opts.qemu ?? BOARD_QEMU,
    `${BOARD_MACHINE} -display none -monitor none`,
    `-chardev socket,id=board0,host=127.0.0.1,port=${opts.boardPort},server=off`,
    '-serial chardev:board0',
    `-kernel ${q(opts.image)} -no-reboot -daemonize -pidfile ${q(pidfile)}`,
  ].join(' ');
  const off =
    `if [ -f ${q(pidfile)} ]; then p=$(cat ${q(pidfile)}); kill "$p" 2>/dev/null; ` +
    `i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.01; i=$((i+1)); done; ` +
    `kill -9 "$p" 2>/dev/null; rm -f ${q(pidfile)}; fi; true`;
  return { on, off };
}
