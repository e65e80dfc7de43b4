// One running QEMU. Started paused (-S) with QMP on a unix socket in its own
// run directory; the serial stream is captured line by line with arrival
// times before the guest runs, so nothing is lost; `cont` over QMP is t0 of
// the boot. Stopped with QMP `quit`, then killed. Every exit path reaps it.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnManaged, type ManagedProcess } from '../process/spawn.ts';
import { InfraError } from '../errors.ts';
import { LineCapture, type LineCaptureOptions } from '../serial/line-capture.ts';
import { QmpClient } from './qmp.ts';
import { allocatePort, releasePort } from './ports.ts';
import { buildQemuCommand, type QemuCommand, type QemuLaunchSpec } from './profiles.ts';
import { instancesDir, reapStaleInstances, type InstanceRecord } from './reap.ts';

export interface QemuStartOptions extends QemuLaunchSpec {
  label?: string;
  /** where run directories live, so a later start can reap what a killed run left */
  stateRoot?: string;
  /** release the guest right away (default true); false leaves it paused for cont() */
  autoCont?: boolean;
  qmpTimeoutMs?: number;
  signal?: AbortSignal;
  capture?: LineCaptureOptions;
}

export interface QemuTimes {
  /** performance.now() ms just before the process was spawned */
  spawn: number;
  /** QMP negotiated: QEMU is up, the guest is paused */
  qmpReady: number;
  /** QMP `cont` sent: t0 of the boot timeline */
  cont?: number;
  /** QMP `cont` acknowledged */
  contAck?: number;
}

export function defaultStateRoot(): string {
  return resolve(process.env.COHESIX_QA_STATE ?? join(process.cwd(), '.cohesix-qa'));
}

const reapedRoots = new Set<string>();

export class QemuInstance {
  readonly serial: LineCapture;
  readonly times: QemuTimes;
  private stderrTail = '';
  private serialSocket?: Socket;
  private stopping?: Promise<void>;
  private exitInfo?: { exitCode?: number; signal?: string };

  private constructor(
    readonly label: string,
    readonly command: QemuCommand,
    readonly runDir: string,
    readonly qmpSocket: string,
    private readonly proc: ManagedProcess,
    private qmp: QmpClient | undefined,
    readonly serialPort: number | undefined,
    capture: LineCapture,
    spawnAt: number,
  ) {
    this.serial = capture;
    this.times = { spawn: spawnAt, qmpReady: spawnAt };
    proc.child.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-4000);
    });
    void proc.exited.then((info) => {
      this.exitInfo = info;
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  get exited(): Promise<{ exitCode?: number; signal?: string }> {
    return this.proc.exited;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** QEMU's own diagnostics (stderr), last 4 KB */
  get stderr(): string {
    return this.stderrTail;
  }

  static async start(opts: QemuStartOptions): Promise<QemuInstance> {
    const label = opts.label ?? 'qemu';
    const stateRoot = resolve(opts.stateRoot ?? defaultStateRoot());
    if (!reapedRoots.has(stateRoot)) {
      reapedRoots.add(stateRoot);
      reapStaleInstances(stateRoot);
    }
    mkdirSync(instancesDir(stateRoot), { recursive: true });
    const runDir = mkdtempSync(join(instancesDir(stateRoot), `${label.replace(/[^a-zA-Z0-9_-]/g, '-')}-`));
    // unix socket paths are limited to 107 bytes; fall back to a short temp dir
    let qmpSocket = join(runDir, 'qmp.sock');
    if (qmpSocket.length > 100) qmpSocket = join(mkdtempSync(join(tmpdir(), 'cqa-qmp-')), 'qmp.sock');
    const serial = opts.serial ?? 'stdio';
    const serialPort = serial === 'tcp' ? await allocatePort() : undefined;
    let command: QemuCommand;
    try {
      command = buildQemuCommand(opts, { qmpSocket, serialPort });
    } catch (e) {
      rmSync(runDir, { recursive: true, force: true });
      throw new InfraError(`QEMU command line for ${label}: ${(e as Error).message}`);
    }
    writeFileSync(join(runDir, 'command.txt'), [command.binary, ...command.args].join(' ') + '\n');
    const capture = new LineCapture(opts.capture);
    const spawnAt = performance.now();
    let proc: ManagedProcess;
    try {
      proc = spawnManaged(command.binary, command.args, {
        label: `qemu:${label}`,
        stateRoot,
        stdin: serial === 'stdio' ? 'pipe' : 'ignore',
        signal: opts.signal,
      });
    } catch (e) {
      rmSync(runDir, { recursive: true, force: true });
      throw new InfraError(
        `could not start ${command.binary}: ${(e as Error).message}`,
        'install QEMU (apt-get install qemu-system-arm qemu-system-x86) or set the binary in config',
      );
    }
    const rec: InstanceRecord = {
      pid: proc.pid,
      ownerPid: process.pid,
      runDir,
      qmpSocket,
      startedAt: Date.now(),
      label,
    };
    // written whole then renamed: a reaper (or a test) polling the folder never reads half a record
    writeFileSync(join(runDir, 'instance.json.part'), JSON.stringify(rec));
    renameSync(join(runDir, 'instance.json.part'), join(runDir, 'instance.json'));
    if (serial === 'stdio' && proc.child.stdout) capture.attach(proc.child.stdout);
    else proc.child.stdout?.resume();
    const inst = new QemuInstance(
      label,
      command,
      runDir,
      qmpSocket,
      proc,
      undefined,
      serialPort,
      capture,
      spawnAt,
    );
    try {
      inst.qmp = await QmpClient.connect(qmpSocket, opts.qmpTimeoutMs ?? 10000, () => !inst.hasExited);
      inst.times.qmpReady = performance.now();
      if (serial === 'tcp' && serialPort) await inst.connectSerial(serialPort, opts.qmpTimeoutMs ?? 10000);
      if (opts.autoCont !== false) await inst.cont();
      return inst;
    } catch (e) {
      await inst.stop();
      const why = (e as Error).message;
      const diag = inst.stderr.trim();
      const binaryMissing = /ENOENT|not found/i.test(why + diag) && !diag.includes('-kernel');
      throw new InfraError(
        `QEMU ${label} did not come up: ${why}${diag ? `\n  qemu said: ${diag.split('\n').slice(-5).join('\n  ')}` : ''}`,
        binaryMissing
          ? `is ${command.binary} installed? (apt-get install qemu-system-arm)`
          : `check the command line in ${join(runDir, 'command.txt')}`,
      );
    }
  }

  private async connectSerial(port: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let last = '';
    while (performance.now() < deadline && !this.hasExited) {
      try {
        this.serialSocket = await new Promise<Socket>((res, rej) => {
          const s = createConnection({ host: '127.0.0.1', port });
          s.once('connect', () => res(s));
          s.once('error', rej);
        });
        this.serialSocket.on('error', () => {
          /* surfaced as the capture closing */
        });
        this.serial.attach(this.serialSocket);
        return;
      } catch (e) {
        last = (e as Error).message;
        await sleep(5);
      }
    }
    throw new Error(
      `serial TCP chardev on 127.0.0.1:${port} did not accept a connection (${last || 'QEMU exited'})`,
    );
  }

  /** release the paused guest; returns t0 (performance.now() ms at which `cont` was sent) */
  async cont(): Promise<number> {
    if (!this.qmp) throw new InfraError(`QEMU ${this.label}: no QMP connection`);
    const t0 = performance.now();
    this.times.cont = t0;
    await this.qmp.execute('cont');
    this.times.contAck = performance.now();
    return t0;
  }

  /** send bytes to the guest's serial input */
  write(data: string | Buffer): void {
    if (this.serialSocket) this.serialSocket.write(data);
    else if (this.proc.child.stdin) this.proc.child.stdin.write(data);
    else throw new InfraError(`QEMU ${this.label}: serial input is not connected`);
  }

  /** detach the harness from the serial TCP chardev so another client (a console) can connect */
  detachSerial(): void {
    this.serialSocket?.destroy();
    this.serialSocket = undefined;
  }

  qmpExecute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (!this.qmp) return Promise.reject(new InfraError(`QEMU ${this.label}: no QMP connection`));
    return this.qmp.execute(command, args);
  }

  /** QMP quit, then SIGTERM/SIGKILL of the process group; idempotent; removes the run directory */
  stop(graceMs = 1000): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.hasExited && this.qmp) {
        this.qmp.send('quit');
        await Promise.race([this.proc.exited, sleep(graceMs)]);
      }
      if (!this.hasExited) await this.proc.stop(500);
      this.qmp?.close();
      this.serialSocket?.destroy();
      this.serial.close();
      if (this.serialPort) releasePort(this.serialPort);
      rmSync(this.runDir, { recursive: true, force: true });
      if (!this.qmpSocket.startsWith(this.runDir))
        rmSync(join(this.qmpSocket, '..'), { recursive: true, force: true });
    })();
    return this.stopping;
  }
}
