// A CUDA worker process named in config (`cuda-annex.worker.command`), driven over
// the JSON-lines protocol of contract/cuda-annex/worker-protocol.ts. Started through
// spawnManaged and reaped on every exit path (close(), a failed start, the harness dying). Every
// wait is bounded and its error names the worker, what was awaited, and the last
// line seen; a line that is not protocol breaks the worker with an error naming
// the line — the case fails with it, the harness does not crash.
import { createInterface } from 'node:readline';
import { spawnManaged, type ManagedProcess } from '../process/spawn.ts';
import type { CudaJob, JobOutcome, LedgerEntry } from '../../contract/cuda-annex/wire.ts';
import {
  encodeRequest,
  parseWorkerLine,
  WORKER_ENV,
  WORKER_PROTOCOL_VERSION,
  type GpuTelemetryRecord,
  type HeartbeatReport,
  type WorkerMessage,
  type WorkerRequest,
  type WorkerTelemetryEvent,
} from '../../contract/cuda-annex/worker-protocol.ts';
import { writeSrvCuda, type CudaWorker, type WorkerHeartbeats } from './worker-driver.ts';
import type { CudaAnnexResources, WorkerCommand } from '../../contract/cuda-annex/resources.ts';

export interface ExternalWorkerOptions {
  name: string;
  worker: WorkerCommand;
  srvCudaPath: string;
  /** CUDA_SERVER for this worker; absent = removed from its environment */
  cudaServer?: string;
  boundMs: number;
  /** the control plane, handed to the worker in the contract's env */
  controlPlane: Pick<
    CudaAnnexResources,
    'grpcAddress' | 'grpcServerName' | 'caCert' | 'workerCert' | 'workerKey' | 'workerId' | 'role'
  >;
  stateRoot?: string;
}

type Waiter = {
  what: string;
  match: (m: WorkerMessage) => boolean;
  resolve: (m: WorkerMessage) => void;
  reject: (e: Error) => void;
};

const STDERR_TAIL = 600;
const MAX_LINE = 1 << 20;

export class WorkerProtocolError extends Error {
  override name = 'WorkerProtocolError';
}

export async function startExternalWorker(opts: ExternalWorkerOptions): Promise<CudaWorker> {
  const [file, ...args] = opts.worker.command;
  if (!file) throw new Error(`cuda-annex.worker.command is empty; give the worker's argv`);
  const cp = opts.controlPlane;
  const env: Record<string, string | undefined> = {
    ...opts.worker.env,
    [WORKER_ENV.srvCuda]: opts.srvCudaPath,
    [WORKER_ENV.boundMs]: String(opts.boundMs),
    [WORKER_ENV.orchAddr]: `https://${cp.grpcAddress}`,
    [WORKER_ENV.orchCaCert]: cp.caCert,
    [WORKER_ENV.orchClientCert]: cp.workerCert,
    [WORKER_ENV.orchClientKey]: cp.workerKey,
    [WORKER_ENV.orchServerName]: cp.grpcServerName,
    [WORKER_ENV.workerId]: cp.workerId,
    [WORKER_ENV.workerRole]: cp.role,
    // the case decides the endpoint: the harness's own CUDA_SERVER must not leak in
    CUDA_SERVER: opts.cudaServer,
  };
  const label = `cuda-worker:${opts.name}`;
  const proc = spawnManaged(file, args, {
    label,
    cwd: opts.worker.cwd,
    env,
    stdin: 'pipe',
    stateRoot: opts.stateRoot,
  });
  const w = new ExternalWorker(opts, proc);
  try {
    await w.waitHello(opts.worker.startBoundMs ?? 20_000);
  } catch (e) {
    await w.close();
    throw e;
  }
  return w;
}

class ExternalWorker implements CudaWorker {
  readonly kind = 'external';
  readonly name: string;
  readonly telemetry: WorkerTelemetryEvent[] = [];
  readonly ledger: LedgerEntry[] = [];
  // nothing heard from the worker yet: no GPU, the contract's reason for "no endpoint"
  gpu: GpuTelemetryRecord = {
    cuda_present: false,
    driver_version: '',
    mem_total: 0,
    mem_free: 0,
    exec_time_ns: 0,
    fallback_reason: 'missing_remote_endpoint',
    temperature: 0,
    gpu_utilization: 0,
  };
  private hello: Extract<WorkerMessage, { type: 'hello' }> | undefined;
  private heartbeat: HeartbeatReport | undefined;
  private waiters: Waiter[] = [];
  private lineNo = 0;
  private lastLine = 'nothing yet';
  private stderrTail = '';
  /** set once the worker broke the protocol or exited: every later wait fails with it */
  private broken: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly who: string;

  constructor(
    private readonly opts: ExternalWorkerOptions,
    private readonly proc: ManagedProcess,
  ) {
    this.name = opts.name;
    this.who = `worker ${opts.name} (${opts.worker.command.join(' ')}, pid ${proc.pid})`;
    const stdout = proc.child.stdout;
    const stderr = proc.child.stderr;
    const stdin = proc.child.stdin;
    stdin?.on('error', () => undefined); // EPIPE after the worker died: the exit handler reports it
    stderr?.on('data', (b: Buffer) => {
      this.stderrTail = (this.stderrTail + b.toString('utf8')).slice(-STDERR_TAIL);
    });
    if (stdout) {
      const rl = createInterface({ input: stdout, crlfDelay: Infinity });
      rl.on('line', (line) => this.onLine(line));
      // a worker spewing without newlines must not grow the line buffer without end
      let sinceNewline = 0;
      stdout.on('data', (b: Buffer) => {
        const nl = b.lastIndexOf(0x0a);
        sinceNewline = nl < 0 ? sinceNewline + b.length : b.length - nl - 1;
        if (sinceNewline > MAX_LINE) {
          this.fail(
            new WorkerProtocolError(
              `${this.who} wrote more than ${MAX_LINE} bytes without a newline after line ${this.lineNo}; ${this.context()}`,
            ),
          );
          stdout.destroy();
        }
      });
    }
    void proc.exited.then((x) => {
      const how = x.signal ? `signal ${x.signal}` : `code ${x.exitCode}`;
      this.fail(new Error(`${this.who} exited (${how}); ${this.context()}`));
    });
  }

  private context(): string {
    const err = this.stderrTail.trim();
    return `last line seen (#${this.lineNo}): ${this.lastLine}` + (err ? `; stderr: ${err}` : '');
  }

  private fail(e: Error): void {
    this.broken ??= e;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(this.broken);
  }

  private onLine(line: string): void {
    if (this.broken) return;
    this.lineNo++;
    this.lastLine = line.length > 200 ? line.slice(0, 200) + '…' : line;
    if (line.trim() === '') return;
    const p = parseWorkerLine(line);
    if (!p.ok) {
      this.fail(
        new WorkerProtocolError(
          `${this.who} wrote line ${this.lineNo} that is not the cuda worker protocol (${p.why}): ${this.lastLine}` +
            '\n  fix: the worker must write one JSON message a line on stdout (logs go to stderr); see docs/decisions/cuda-annex.md',
        ),
      );
      return;
    }
    const m = p.message;
    if (m.type === 'telemetry') this.telemetry.push(m.event);
    else if (m.type === 'ledger') this.ledger.push({ job: m.job, via: m.via, result: m.result });
    else if (m.type === 'gpu') this.gpu = m.telemetry;
    else if (m.type === 'heartbeat') {
      const { type: _t, ...report } = m;
      void _t;
      if (this.heartbeat) Object.assign(this.heartbeat, { lastError: undefined }, report);
      else this.heartbeat = report;
    }
    const i = this.waiters.findIndex((w) => w.match(m));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
  }

  /** wait for a message; bounded, and the error says what was awaited and what was seen */
  private waitFor<T extends WorkerMessage>(
    what: string,
    match: (m: WorkerMessage) => boolean,
    boundMs: number,
  ): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        what,
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(new Error(`${e.message}\n  (while waiting for ${what})`));
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`waited ${boundMs} ms for ${what} from ${this.who}; ${this.context()}`));
      }, boundMs);
      this.waiters.push(waiter);
    });
  }

  private send(r: WorkerRequest): void {
    if (this.broken) throw this.broken;
    const stdin = this.proc.child.stdin;
    if (!stdin || stdin.destroyed) throw new Error(`${this.who}: its stdin is closed; ${this.context()}`);
    stdin.write(encodeRequest(r));
  }

  async waitHello(boundMs: number): Promise<void> {
    const hello = await this.waitFor<Extract<WorkerMessage, { type: 'hello' }>>(
      'its hello line ({"type":"hello","protocol":1,...})',
      (m) => m.type === 'hello',
      boundMs,
    );
    if (hello.protocol !== WORKER_PROTOCOL_VERSION) {
      throw new WorkerProtocolError(
        `${this.who} speaks protocol ${hello.protocol}; this harness speaks ${WORKER_PROTOCOL_VERSION}`,
      );
    }
    this.hello = hello;
  }

  run(job: CudaJob): Promise<JobOutcome> {
    // one job at a time: the protocol's outcomes are matched by id, but the suite's
    // accounting (and the worker's /srv/cuda) assume sequential submission
    const next = this.queue.then(() => this.runOne(job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runOne(job: CudaJob): Promise<JobOutcome> {
    const started = performance.now();
    const bound = this.opts.worker.replyBoundMs ?? this.opts.boundMs * 4 + 5000;
    const reply = this.waitFor<Extract<WorkerMessage, { type: 'outcome' | 'error' }>>(
      `the outcome of job ${job.id}`,
      (m) => (m.type === 'outcome' || m.type === 'error') && (m.id === job.id || m.id === undefined),
      bound,
    );
    reply.catch(() => undefined);
    this.send({ op: 'run', job });
    const m = await reply;
    if (m.type === 'error') throw new Error(`${this.who} rejected job ${job.id}: ${m.message}`);
    return {
      id: m.id,
      via: m.via,
      status: m.status,
      result: m.result,
      ...(m.detail !== undefined ? { detail: m.detail } : {}),
      ms: performance.now() - started,
    };
  }

  setSrvCuda(text: string | undefined): void {
    writeSrvCuda(this.opts.srvCudaPath, text);
  }

  async heartbeats(intervalMs: number): Promise<WorkerHeartbeats | { notJudged: string }> {
    if (!this.hello?.heartbeat) {
      return {
        notJudged:
          `${this.who} does not heartbeat to the control plane (its hello says heartbeat: false), ` +
          'so /api/status and heartbeat metrics for it are not judged',
      };
    }
    const first = this.waitFor(
      'its first heartbeat report',
      (m) => m.type === 'heartbeat',
      intervalMs * 4 + 5000,
    );
    first.catch(() => undefined);
    this.send({ op: 'heartbeat-start', intervalMs });
    await first;
    const metrics = this.heartbeat!;
    return {
      metrics,
      stop: async () => {
        if (!this.broken) this.send({ op: 'heartbeat-stop' });
      },
    };
  }

  evidence(): Record<string, unknown> {
    return {
      worker: this.name,
      kind: 'external',
      command: this.opts.worker.command,
      pid: this.proc.pid,
      hello: this.hello,
      broken: this.broken?.message,
      lastLine: this.lastLine,
      stderrTail: this.stderrTail,
      gpu: this.gpu,
      telemetry: this.telemetry.slice(-50),
      ledger: this.ledger.slice(-50),
      heartbeat: this.heartbeat,
    };
  }

  async close(): Promise<void> {
    // stdin EOF asks the worker to finish; after a grace period it is stopped for good
    this.proc.child.stdin?.end();
    const grace = new Promise<'late'>((r) => setTimeout(() => r('late'), 2000).unref());
    // (an exited worker was already reaped, its group killed, by spawnManaged)
    if ((await Promise.race([this.proc.exited, grace])) === 'late') await this.proc.stop(1000);
    this.fail(new Error(`${this.who} was closed`));
  }
}
