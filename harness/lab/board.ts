// A lab board: serial reached over TCP (ser2net style, listening whether the
// board is powered or not) and power controlled by shell commands from config
// (a PDU, a relay, a USB hub). A cold boot connects the serial first, then
// powers on, so no early output is lost; t0 is the moment the power-on
// command is issued. Power command lines are never echoed into errors: they
// may carry PDU credentials.
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../process/spawn.ts';
import { InfraError } from '../errors.ts';
import { LineCapture, WaitTimeoutError } from '../serial/line-capture.ts';
import { ConsoleDriver } from '../console/driver.ts';
import { DEFAULT_FAULT_PATTERNS, scanFaults } from '../boot/faults.ts';
import { buildTimeline, type TimelineConfig } from '../boot/timeline.ts';
import type { ColdBootRun } from '../boot/cold-boot.ts';

export type PowerAction = 'on' | 'off' | 'cycle';

export interface LabBoardConfig {
  name: string;
  serial: { host: string; port: number };
  power: { on: string; off: string; cycle?: string; timeoutMs?: number };
  /** bound on connecting to the serial port */
  connectTimeoutMs?: number;
}

export class LabBoard {
  private socket?: Socket;
  capture?: LineCapture;

  constructor(readonly cfg: LabBoardConfig) {
    if (
      !cfg.serial?.host ||
      !Number.isInteger(cfg.serial?.port) ||
      cfg.serial.port <= 0 ||
      cfg.serial.port > 65535
    ) {
      throw new InfraError(
        `lab board "${cfg.name}": serial must be { host, port } with a TCP port 1..65535`,
        'set boot.lab.serial in the config',
      );
    }
    if (!cfg.power?.on || !cfg.power?.off) {
      throw new InfraError(
        `lab board "${cfg.name}": power.on and power.off commands are required`,
        'set boot.lab.power.on/off in the config',
      );
    }
  }

  /** run a power command; `cycle` uses its own command when configured, else off then on */
  async power(action: PowerAction): Promise<void> {
    if (action === 'cycle' && !this.cfg.power.cycle) {
      await this.power('off');
      await this.power('on');
      return;
    }
    const cmd = this.cfg.power[action]!;
    const timeoutMs = this.cfg.power.timeoutMs ?? 30_000;
    const r = await runCommand('sh', ['-c', cmd], { timeoutMs });
    if (r.timedOut)
      throw new InfraError(
        `lab board "${this.cfg.name}": power ${action} command did not finish within ${timeoutMs} ms`,
      );
    if (r.exitCode !== 0) {
      throw new InfraError(
        `lab board "${this.cfg.name}": power ${action} command exited ${r.exitCode ?? r.spawnError}: ${(r.stderr || r.stdout).trim().slice(-400)}`,
        'check the power commands of this board in the config',
      );
    }
  }

  /** connect (or reconnect) to the serial port; bounded */
  async connectSerial(): Promise<LineCapture> {
    this.disconnectSerial();
    const { host, port } = this.cfg.serial;
    const timeoutMs = this.cfg.connectTimeoutMs ?? 5000;
    const deadline = performance.now() + timeoutMs;
    let last = '';
    while (performance.now() < deadline) {
      try {
        this.socket = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection({ host, port });
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        this.socket.on('error', () => {
          /* shows as the capture closing */
        });
        this.capture = new LineCapture();
        this.capture.attach(this.socket);
        return this.capture;
      } catch (e) {
        last = (e as Error).message;
        await sleep(20);
      }
    }
    throw new InfraError(
      `lab board "${this.cfg.name}": serial ${host}:${port} not reachable within ${timeoutMs} ms (${last})`,
      'is ser2net running and the port right?',
    );
  }

  disconnectSerial(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  /** a console on the connected serial line */
  console(): ConsoleDriver {
    const socket = this.socket;
    if (!socket || !this.capture) throw new InfraError(`lab board "${this.cfg.name}": serial not connected`);
    return new ConsoleDriver({ capture: this.capture, write: (s) => socket.write(s) });
  }

  /**
   * Power off, connect the serial, power on (t0), wait for the boot stage and
   * then the last stage. The board stays on (for console cases) unless powerOffAfter.
   */
  async coldBoot(opts: {
    timeline: TimelineConfig;
    timeoutMs: number;
    settleMs?: number;
    faultPatterns?: readonly RegExp[];
    powerOffAfter?: boolean;
  }): Promise<ColdBootRun> {
    await this.power('off');
    const capture = await this.connectSerial();
    const t0 = performance.now();
    await this.power('on');
    const boot = opts.timeline.stages.find((s) => s.name === opts.timeline.bootStage);
    if (!boot) throw new Error(`boot stage "${opts.timeline.bootStage}" is not configured`);
    const re = (p: string | RegExp): RegExp => (typeof p === 'string' ? new RegExp(p) : p);
    let error: string | undefined;
    try {
      await capture.waitFor(re(boot.pattern), {
        timeoutMs: opts.timeoutMs,
        what: `boot stage "${boot.name}" on lab board "${this.cfg.name}"`,
      });
      const last = opts.timeline.stages[opts.timeline.stages.length - 1];
      if (last && last !== boot)
        await capture.waitFor(re(last.pattern), { timeoutMs: opts.settleMs ?? 1000 }).catch(() => undefined);
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
      error = e.message;
    }
    if (opts.powerOffAfter) {
      await this.power('off');
      this.disconnectSerial();
    }
    const lines = capture.all();
    return {
      timeline: buildTimeline(
        lines,
        { spawn: t0, qmpReady: t0, cont: t0, firstByte: capture.firstByteAt },
        opts.timeline,
      ),
      faults: scanFaults(lines, opts.faultPatterns ?? DEFAULT_FAULT_PATTERNS),
      error,
      serialTail: capture.lastLines(40),
    };
  }
}
