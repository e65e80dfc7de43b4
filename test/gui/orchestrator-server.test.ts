// The reference control plane over real gRPC + mutual TLS, with test certificates
// made by openssl: who may call what, and workers timing out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import {
  connectOrchestrator,
  GrpcCallError,
  type OrchestratorClient,
} from '../../harness/gui/orchestrator-client.ts';
import { ensureTestPki, issueClientCert, type CertPair, type TestPki } from '../../reference/pki/index.ts';
import { DEFAULT_GUI_PKI_DIR } from '../../reference/gui/stack.ts';
import { startOrchestratorServer, type RunningOrchestrator } from '../../reference/orchestrator/server.ts';

let dir: string;
let pki: TestPki;
let server: RunningOrchestrator;
const clients: OrchestratorClient[] = [];

function connectWith(c: CertPair): OrchestratorClient {
  const client = connectOrchestrator(
    server.address,
    { ca: readFileSync(pki.ca.cert), cert: readFileSync(c.cert), key: readFileSync(c.key) },
    { serverName: 'localhost' },
  );
  clients.push(client);
  return client;
}

// the shared PKI's extra certificates are shared with other areas: names carry a gui-test- prefix
async function clientFor(name: string, spiffe: string): Promise<OrchestratorClient> {
  return connectWith(await issueClientCert(pki, `gui-test-${name}`, spiffe));
}

async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GrpcCallError) return e.code;
    throw e;
  }
  throw new Error('call succeeded but was expected to fail');
}

const join1 = (id: string, role = 'DroneWorker') => ({
  worker_id: id,
  ip: '10.0.0.9',
  role,
  capabilities: ['cuda'],
  trust: 'green',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cohesix-orch-'));
  pki = await ensureTestPki(DEFAULT_GUI_PKI_DIR);
  server = await startOrchestratorServer({
    queenId: 'queen-ref',
    timeoutSeconds: 1,
    tls: {
      ca: readFileSync(pki.ca.cert),
      cert: readFileSync(pki.server.cert),
      key: readFileSync(pki.server.key),
    },
    mirrorPath: join(dir, 'srv/agents/active.json'),
    sweepMs: 50,
  });
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('reference orchestrator over mutual TLS', () => {
  it('lets a queen enrol a worker, steer it and read the cluster state', async () => {
    const queen = await clientFor('queen', 'spiffe://cohesix/queen/QueenPrimary/queen-1');
    const joined = await queen.call('Join', join1('w-queen-enrolled'));
    expect(joined.queen_id).toBe('queen-ref');
    await queen.call('Heartbeat', {
      worker_id: 'w-queen-enrolled',
      timestamp: 1,
      status: 'busy',
      gpu: {
        perf_watt: 9.5,
        mem_total: 24,
        mem_free: 10,
        last_temp: 55,
        gpu_capacity: 8,
        current_load: 2,
        latency_score: 4,
      },
    });
    expect(await queen.call('AssignRole', { worker_id: 'w-queen-enrolled', role: 'SensorRelay' })).toEqual({
      updated: true,
    });
    expect(await queen.call('UpdateTrust', { worker_id: 'w-queen-enrolled', level: 'yellow' })).toEqual({
      level: 'yellow',
    });
    expect(await queen.call('RequestSchedule', { agent_id: 'job-1', require_gpu: true })).toMatchObject({
      assigned: true,
      worker_id: 'w-queen-enrolled',
    });
    const state = await queen.call('GetClusterState', {});
    expect(state).toMatchObject({ queen_id: 'queen-ref', timeout_seconds: 1 });
    const w = state.workers.find((x) => x.worker_id === 'w-queen-enrolled');
    expect(w).toMatchObject({ role: 'SensorRelay', trust: 'yellow', status: 'busy', capabilities: ['cuda'] });
    expect(w?.gpu?.perf_watt).toBeCloseTo(9.5);
    expect(w?.gpu?.current_load).toBe(2);
  });

  it('lets a worker join as itself only and keeps the cluster state from it', async () => {
    const worker = await clientFor('drone-a', 'spiffe://cohesix/worker/DroneWorker/drone-a');
    await worker.call('Join', join1('drone-a'));
    expect(await codeOf(worker.call('Join', join1('drone-b')))).toBe(status.PERMISSION_DENIED);
    expect(await codeOf(worker.call('Join', join1('drone-a', 'SensorRelay')))).toBe(status.PERMISSION_DENIED);
    expect(await codeOf(worker.call('GetClusterState', {}))).toBe(status.PERMISSION_DENIED);
    expect(await codeOf(worker.call('AssignRole', { worker_id: 'drone-a', role: 'SensorRelay' }))).toBe(
      status.PERMISSION_DENIED,
    );
  });

  it('rejects identities that are not role-aligned orchestrator SPIFFE IDs, foreign or expired certificates, and callers without one', async () => {
    // Secure9P-style agent identity (spiffe://cohesix/role/queen_primary): not an orchestrator path
    const agentStyle = connectWith(pki.agents['queen_primary']!);
    expect(await codeOf(agentStyle.call('GetClusterState', {}))).toBe(status.PERMISSION_DENIED);
    const misaligned = await clientFor('misaligned', 'spiffe://cohesix/worker/QueenPrimary/sneaky');
    expect(await codeOf(misaligned.call('GetClusterState', {}))).toBe(status.PERMISSION_DENIED);
    const rogue = await clientFor('rogue', 'spiffe://cohesix/worker/RogueRole/rogue-1');
    expect(await codeOf(rogue.call('Join', join1('rogue-1', 'DroneWorker')))).toBe(status.PERMISSION_DENIED);
    const foreign = connectWith(pki.foreign);
    expect(await codeOf(foreign.call('GetClusterState', {}, 1500))).toBe(status.UNAVAILABLE);
    const expired = connectWith(pki.expired);
    expect(await codeOf(expired.call('GetClusterState', {}, 1500))).toBe(status.UNAVAILABLE);
    const anonymous = connectOrchestrator(
      server.address,
      { ca: readFileSync(pki.ca.cert) },
      { serverName: 'localhost' },
    );
    clients.push(anonymous);
    expect(await codeOf(anonymous.call('GetClusterState', {}, 1500))).toBe(status.UNAVAILABLE);
  });

  it('drops a worker after timeout_seconds without a heartbeat and mirrors that to active.json', async () => {
    const queen = await clientFor('queen-timeout', 'spiffe://cohesix/queen/QueenPrimary/queen-2');
    await queen.call('Join', join1('w-short-lived'));
    const mirror = join(dir, 'srv/agents/active.json');
    const inMirror = () =>
      existsSync(mirror) &&
      JSON.parse(readFileSync(mirror, 'utf8')).workers.some(
        (w: { worker_id: string }) => w.worker_id === 'w-short-lived',
      );
    expect(inMirror()).toBe(true);
    const before = await queen.call('GetClusterState', {});
    expect(before.workers.map((w) => w.worker_id)).toContain('w-short-lived');
    await new Promise((r) => setTimeout(r, 1300));
    const after = await queen.call('GetClusterState', {});
    expect(after.workers.map((w) => w.worker_id)).not.toContain('w-short-lived');
    await new Promise((r) => setTimeout(r, 120));
    expect(inMirror()).toBe(false);
  });

  it('reports an unreachable orchestrator as UNAVAILABLE within the deadline', async () => {
    const c = await issueClientCert(pki, 'gui-test-queen-unreach', 'spiffe://cohesix/queen/QueenPrimary/q3');
    const client = connectOrchestrator('127.0.0.1:1', {
      ca: readFileSync(pki.ca.cert),
      cert: readFileSync(c.cert),
      key: readFileSync(c.key),
    });
    clients.push(client);
    const started = Date.now();
    const err = await client.call('GetClusterState', {}, 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrpcCallError);
    expect((err as GrpcCallError).unreachable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
