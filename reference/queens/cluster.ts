// Start 3 to 5 reference queens as separate processes (through spawnManaged, so
// they are reaped on every exit path), wait for each one's ready line, and make
// them one cluster. Used by the trace reference service and by the project's tests.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnManaged, type ManagedProcess } from '../../harness/process/spawn.ts';
import { ReferenceEnvironmentError } from '../errors.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import type { QueenClusterResources, QueenEndpoint } from '../../contract/trace/resources.ts';
import { exchange } from '../../contract/trace/tls-jsonl.ts';
import { ensureTestPki, issuePeerCert, SHARED_PKI_DIR } from '../pki/index.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface ClusterOptions {
  count: number;
  stateDir: string;
  stateRoot?: string;
  defect?: string;
  voteTimeoutMs?: number;
  segmentAgeMs?: number;
  signal?: AbortSignal;
  readyTimeoutMs?: number;
  /** the shared test PKI's folder (default reference/pki/generated) */
  pkiDir?: string;
}

export interface RunningCluster {
  resources: QueenClusterResources;
  stop(): Promise<void>;
}

function readyLine(
  proc: ManagedProcess,
  timeoutMs: number,
): Promise<{ id: string; port: number; publicKey: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const stdout = proc.child.stdout!;
    const stderr = proc.child.stderr!;
    const finish = (e?: Error, v?: { id: string; port: number; publicKey: string }): void => {
      clearTimeout(timer);
      stdout.removeListener('data', onOut);
      if (e) reject(e);
      else resolve(v!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new ReferenceEnvironmentError(
            `${proc.label}: no ready line within ${timeoutMs} ms; last stdout ${JSON.stringify(out.slice(-200))}, stderr ${JSON.stringify(err.slice(-400))}`,
          ),
        ),
      timeoutMs,
    );
    const onOut = (d: Buffer): void => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line)
        finish(
          undefined,
          (JSON.parse(line) as { ready: { id: string; port: number; publicKey: string } }).ready,
        );
    };
    stdout.on('data', onOut);
    stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    void proc.exited.then((r) =>
      finish(
        new ReferenceEnvironmentError(
          `${proc.label} exited before it was ready (code ${r.exitCode}, signal ${r.signal}): ${err.slice(-400)}`,
        ),
      ),
    );
  });
}

/**
 * Make the started queens one cluster: each learns every member's address and session
 * key, over the control channel with the controller certificate (the reference's own
 * few lines for it; the harness's queen client is the checker's).
 */
async function formCluster(resources: QueenClusterResources): Promise<void> {
  const c = resources.controller;
  const tls = {
    ca: readFileSync(c.ca, 'utf8'),
    cert: readFileSync(c.cert, 'utf8'),
    key: readFileSync(c.key, 'utf8'),
  };
  const members = resources.queens.map(({ id, host, port, publicKey }) => ({ id, host, port, publicKey }));
  await Promise.all(
    resources.queens.map(async (q) => {
      const reply = await exchange<{ ok?: boolean; error?: { name?: string; message?: string } }>(
        q,
        tls,
        { type: 'control', cmd: 'configure', members },
        { timeoutMs: 10_000, what: `configure queen ${q.id}` },
      );
      if (reply.ok !== true)
        throw new ReferenceEnvironmentError(
          `queen ${q.id} refused its members: ${reply.error?.name ?? 'no error named'}: ${reply.error?.message ?? JSON.stringify(reply).slice(0, 200)}`,
        );
    }),
  );
}

export async function startQueenCluster(opts: ClusterOptions): Promise<RunningCluster> {
  if (opts.count < 3 || opts.count > 5)
    throw new ReferenceEnvironmentError(`a queen cluster has 3 to 5 queens, not ${opts.count}`);
  const ids = Array.from({ length: opts.count }, (_, i) => `q${i + 1}`);
  // the shared test PKI: one CA with the other reference services; the queens and the
  // controller get server+client certificates whose CN is their identity
  const pki = await ensureTestPki(opts.pkiDir ?? SHARED_PKI_DIR);
  const certs = Object.fromEntries(
    await Promise.all([...ids, 'controller'].map(async (n) => [n, await issuePeerCert(pki, n)] as const)),
  );
  const procs: ManagedProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(procs.map((p) => p.stop(1000)));
  };
  try {
    const voteTimeoutMs = opts.voteTimeoutMs ?? 500;
    const queens: QueenEndpoint[] = await Promise.all(
      ids.map(async (id) => {
        const nsRoot = join(opts.stateDir, id, 'ns');
        mkdirSync(nsRoot, { recursive: true });
        const args = [
          '--import',
          'tsx',
          MAIN,
          '--id',
          id,
          '--ns-root',
          nsRoot,
          '--ca',
          pki.ca.cert,
          '--cert',
          certs[id]!.cert,
          '--key',
          certs[id]!.key,
          '--vote-timeout-ms',
          String(voteTimeoutMs),
        ];
        if (opts.segmentAgeMs) args.push('--segment-age-ms', String(opts.segmentAgeMs));
        if (opts.defect) args.push('--defect', opts.defect);
        const proc = spawnManaged(process.execPath, args, {
          label: `queen:${id}`,
          cwd: PROJECT_ROOT,
          stateRoot: opts.stateRoot,
          signal: opts.signal,
        });
        procs.push(proc);
        const ready = await readyLine(proc, opts.readyTimeoutMs ?? 30_000);
        return { id, host: '127.0.0.1', port: ready.port, publicKey: ready.publicKey, nsRoot };
      }),
    );
    const resources: QueenClusterResources = {
      queens,
      controller: { ca: pki.ca.cert, cert: certs.controller!.cert, key: certs.controller!.key },
      voteTimeoutMs,
    };
    await formCluster(resources);
    return { resources, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
