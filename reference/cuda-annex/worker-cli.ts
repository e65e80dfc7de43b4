// The reference CUDA worker as a process speaking the suite's JSON-lines worker
// protocol (contract/cuda-annex/worker-protocol.ts), so the suite's external-worker
// path is exercised for real. Run: `node --import tsx reference/cuda-annex/worker-cli.ts
// [--defect <cuda-annex defect>] [--no-heartbeat]`. The endpoint comes the contract's way: the file
// named by COHESIX_SRV_CUDA stands for /srv/cuda (re-read at every job), CUDA_SERVER
// overrides it. With the COHESIX_ORCH_* env it heartbeats to that control plane.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CudaExecutor } from './executor.ts';
import { startHeartbeats, type HeartbeatLoop } from './heartbeat.ts';
import { CUDA_ANNEX_DEFECT_NAMES, cudaAnnexDefect, type CudaAnnexDefect } from './defect-names.ts';
import type { ControlPlaneClient } from '../orchestrator/client.ts';
import {
  encodeMessage,
  parseWorkerRequest,
  WORKER_ENV,
  WORKER_PROTOCOL_VERSION,
  type WorkerMessage,
} from '../../contract/cuda-annex/worker-protocol.ts';

function usage(message: string): never {
  process.stderr.write(
    `cuda worker: ${message}\n  usage: worker-cli.ts [--defect ${CUDA_ANNEX_DEFECT_NAMES.join('|')}[,…]] [--no-heartbeat]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { defects: ReadonlySet<CudaAnnexDefect>; noHeartbeat: boolean } {
  const defects = new Set<CudaAnnexDefect>();
  let noHeartbeat = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // a worker that does not heartbeat (as some users' do not): shows what the suite then judges
    if (a === '--no-heartbeat') {
      noHeartbeat = true;
      continue;
    }
    const value = a === '--defect' ? argv[++i] : a.startsWith('--defect=') ? a.slice(9) : undefined;
    if (value === undefined) usage(`unknown argument ${JSON.stringify(a)}`);
    for (const name of value.split(',')) {
      const defect = cudaAnnexDefect(name.trim());
      if (!defect) usage(`no such defect mode ${JSON.stringify(name)}`);
      defects.add(defect);
    }
  }
  return { defects, noHeartbeat };
}

const env = process.env;
const { defects, noHeartbeat } = parseArgs(process.argv.slice(2));
const boundMs = Number(env[WORKER_ENV.boundMs] ?? 250);
if (!(boundMs > 0))
  usage(`${WORKER_ENV.boundMs} must be a positive number of ms, got ${env[WORKER_ENV.boundMs]}`);

const executor = new CudaExecutor({
  srvCudaPath: env[WORKER_ENV.srvCuda],
  env: { CUDA_SERVER: env['CUDA_SERVER'] },
  boundMs,
  defects,
});

const orch = {
  addr: env[WORKER_ENV.orchAddr]?.replace(/^https?:\/\//, ''),
  ca: env[WORKER_ENV.orchCaCert],
  cert: env[WORKER_ENV.orchClientCert],
  key: env[WORKER_ENV.orchClientKey],
  workerId: env[WORKER_ENV.workerId],
};
const canHeartbeat = !noHeartbeat && Boolean(orch.addr && orch.ca && orch.cert && orch.key && orch.workerId);

const emit = (m: WorkerMessage): void => void process.stdout.write(encodeMessage(m));

let client: ControlPlaneClient | undefined;
let loop: HeartbeatLoop | undefined;

async function startBeats(intervalMs: number): Promise<void> {
  if (!canHeartbeat) throw new Error(`no control plane: set ${WORKER_ENV.orchAddr} and the cert env`);
  await loop?.stop();
  // gRPC loads only when asked to heartbeat: most workers the suite starts never are
  const { controlPlaneClient } = await import('../orchestrator/client.ts');
  client ??= controlPlaneClient(
    orch.addr!,
    { ca: readFileSync(orch.ca!), cert: readFileSync(orch.cert!), key: readFileSync(orch.key!) },
    env[WORKER_ENV.orchServerName] || undefined,
  );
  loop = await startHeartbeats({
    client,
    workerId: orch.workerId!,
    role: env[WORKER_ENV.workerRole] || 'DroneWorker',
    executor,
    intervalMs,
    defects,
    onBeat: (m) => emit({ type: 'heartbeat', ...m }),
  });
}

async function handle(line: string): Promise<void> {
  if (line.trim() === '') return;
  const req = parseWorkerRequest(line);
  if ('error' in req) return emit({ type: 'error', message: req.error });
  if (req.op === 'heartbeat-start') return startBeats(req.intervalMs);
  if (req.op === 'heartbeat-stop') {
    await loop?.stop();
    loop = undefined;
    return;
  }
  const t0 = executor.telemetry.length;
  const l0 = executor.ledger.length;
  const out = await executor.run(req.job);
  // a job's telemetry, accounting and GPU record go out before its outcome
  for (const event of executor.telemetry.slice(t0)) emit({ type: 'telemetry', event });
  for (const e of executor.ledger.slice(l0)) emit({ type: 'ledger', ...e });
  emit({ type: 'gpu', telemetry: executor.gpu });
  emit({
    type: 'outcome',
    id: out.id,
    via: out.via,
    status: out.status,
    result: out.result,
    ...(out.detail !== undefined ? { detail: out.detail } : {}),
  });
}

emit({
  type: 'hello',
  protocol: WORKER_PROTOCOL_VERSION,
  worker: 'reference-cuda-worker',
  heartbeat: canHeartbeat,
});

// requests are handled one at a time, in order
let chain: Promise<void> = Promise.resolve();
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  chain = chain.then(() =>
    handle(line).catch((e: Error) => {
      const id = /"id"\s*:\s*"([^"]*)"/.exec(line)?.[1];
      emit({ type: 'error', ...(id !== undefined ? { id } : {}), message: e.message });
    }),
  );
});
// stdin closed: the harness is done with this worker
rl.on('close', () => {
  void chain.then(async () => {
    await loop?.stop();
    client?.close();
    process.exit(0);
  });
});
