// The reference GUI in front of the reference control plane, over real HTTP, gRPC
// and WebSocket: status from GetClusterState (mirror only when unreachable), control
// mapped to RPCs, auth, per-client rate limiting with distinct loopback sources,
// Prometheus metrics and the live feed.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectOrchestrator, type OrchestratorClient } from '../../harness/gui/orchestrator-client.ts';
import { GuiHttpClient } from '../../harness/gui/http-client.ts';
import { parsePrometheusText } from '../../harness/gui/prometheus.ts';
import { startGuiStack, type GuiStack } from '../../reference/gui/stack.ts';
import { startGuiServer } from '../../reference/gui/server.ts';
import { COHESIX_ROLES } from '../../contract/roles.ts';

let dir: string;
let stack: GuiStack;
let grpc: OrchestratorClient;
let http: GuiHttpClient;
let nextAddress = 20;
const fresh = () => http.as(`127.0.0.${nextAddress++}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cohesix-gui-'));
  stack = await startGuiStack({ stateDir: dir, timeoutSeconds: 1, livePollMs: 100 });
  const ca = readFileSync(stack.pki.ca.cert);
  grpc = connectOrchestrator(stack.orchestrator.address, {
    ca,
    cert: readFileSync(stack.operatorClient.cert),
    key: readFileSync(stack.operatorClient.key),
  });
  http = new GuiHttpClient(stack.gui.url, stack.credentials, undefined);
}, 30_000);

afterAll(async () => {
  grpc?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const joinWorker = (id: string) =>
  grpc.call('Join', {
    worker_id: id,
    ip: '10.1.0.5',
    role: 'DroneWorker',
    capabilities: ['cuda'],
    trust: 'green',
  });

describe('reference GUI', () => {
  it('builds /api/status from GetClusterState on every request', async () => {
    const c = fresh();
    await joinWorker('gui-w1');
    const r = await c.get('/api/status');
    expect(r.status).toBe(200);
    const body = r.json as {
      workers: number;
      worker_statuses: Array<{ worker_id: string }>;
      source: string;
      timeout_seconds: number;
      queen_id: string;
    };
    expect(body.source).toBe('grpc');
    expect(body.queen_id).toBe('queen-reference');
    expect(body.timeout_seconds).toBe(1);
    expect(body.worker_statuses.map((w) => w.worker_id)).toContain('gui-w1');
    expect(body.workers).toBe(body.worker_statuses.length);
  });

  it('maps each control command onto its RPC and reports unknown and malformed commands', async () => {
    const c = fresh();
    await joinWorker('gui-w2');
    // the stack drops a worker after 1 s without a heartbeat (for the live-feed case); on a
    // loaded machine the calls below can take longer than that, so gui-w2 keeps beating
    const beat = setInterval(
      () =>
        void grpc
          .call('Heartbeat', { worker_id: 'gui-w2', timestamp: Date.now(), status: 'ok' })
          .catch(() => {}),
      200,
    );
    onTestFinished(() => clearInterval(beat));
    expect(
      (await c.post('/api/control', { command: 'assign-role', worker_id: 'gui-w2', role: 'SensorRelay' }))
        .json,
    ).toMatchObject({ status: 'ack', rpc: 'AssignRole' });
    expect(
      (await c.post('/api/control', { command: 'update-trust', worker_id: 'gui-w2', trust_level: 'yellow' }))
        .json,
    ).toMatchObject({ status: 'ack', rpc: 'UpdateTrust' });
    const w = (await grpc.call('GetClusterState', {})).workers.find((x) => x.worker_id === 'gui-w2');
    expect(w).toMatchObject({ role: 'SensorRelay', trust: 'yellow' });
    const sched = await c.post('/api/control', {
      command: 'schedule',
      agent_id: 'job-9',
      require_gpu: false,
    });
    expect(sched.json).toMatchObject({ status: 'ack', rpc: 'RequestSchedule', result: { assigned: true } });
    const unknown = await c.post('/api/control', { command: 'reboot-everything' });
    expect(unknown.status).toBe(502);
    expect(unknown.json).toMatchObject({ error: expect.stringMatching(/unknown command/) });
    expect((await c.post('/api/control', '{not json')).status).toBe(400);
    expect((await c.post('/api/control', { command: 'assign-role', worker_id: 'gui-w2' })).status).toBe(400);
    expect(
      (await c.post('/api/control', { command: 'schedule', agent_id: 'a', require_gpu: 'yes' })).status,
    ).toBe(400);
    const missing = await c.post('/api/control', {
      command: 'assign-role',
      worker_id: 'nobody',
      role: 'SensorRelay',
    });
    expect(missing.status).toBe(502);
    expect(missing.json).toMatchObject({ grpc_code: 5 });
  });

  it('demands basic auth on every API route and the live feed', async () => {
    const c = fresh();
    for (const [method, path] of [
      ['GET', '/api/status'],
      ['POST', '/api/control'],
      ['GET', '/api/metrics'],
      ['POST', '/api/session'],
    ] as const) {
      expect(
        (await c.request(method, path, { auth: 'none', body: method === 'POST' ? {} : undefined })).status,
        `${method} ${path}`,
      ).toBe(401);
      expect(
        (
          await c.request(method, path, {
            auth: { user: 'operator', pass: 'wrong' },
            body: method === 'POST' ? {} : undefined,
          })
        ).status,
      ).toBe(401);
    }
    const ws = new WebSocket(`${stack.gui.url.replace('http', 'ws')}/api/live?ticket=forged`);
    const code = await new Promise<number>((resolve) =>
      ws
        .on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        .on('error', () => resolve(-1)),
    );
    expect(code).toBe(401);
    const log = readFileSync(stack.gui.accessLogPath, 'utf8');
    expect(log).not.toContain(stack.credentials.pass);
    expect(log).not.toContain(Buffer.from(`operator:${stack.credentials.pass}`).toString('base64'));
  });

  it('limits each client to 60 requests a minute, alerts in the access log, and serves other clients', async () => {
    const flooder = fresh();
    const bystander = fresh();
    const statuses: number[] = [];
    const started = performance.now();
    for (let i = 0; i < 61; i++) statuses.push((await flooder.get('/api/metrics')).status);
    // on a loaded host the burst may take seconds; each second refills one token
    const allowance = Math.floor((performance.now() - started) / 1000);
    for (let i = 0; i < allowance && statuses.at(-1) !== 429; i++)
      statuses.push((await flooder.get('/api/metrics')).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await bystander.get('/api/metrics')).status).toBe(200);
    expect(stack.gui.accessLogPath).toBe(join(dir, 'log/gui_access.log'));
    const alerts = readFileSync(stack.gui.accessLogPath, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('ALERT') && l.includes(`client=${flooder.localAddress}`));
    expect(alerts).toHaveLength(1);
  });

  it('exposes per-worker health, trust and GPU load as Prometheus text', async () => {
    const c = fresh();
    await joinWorker('gui-w3');
    await grpc.call('Heartbeat', {
      worker_id: 'gui-w3',
      timestamp: 0,
      status: 'busy',
      gpu: {
        perf_watt: 30,
        mem_total: 16,
        mem_free: 4,
        last_temp: 71,
        gpu_capacity: 4,
        current_load: 3,
        latency_score: 2,
      },
    });
    const r = await c.get('/api/metrics');
    expect(String(r.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    const parsed = parsePrometheusText(r.text);
    expect(parsed.errors).toEqual([]);
    const of = (name: string) =>
      parsed.samples.filter((s) => s.name === name && s.labels['worker_id'] === 'gui-w3').map((s) => s.value);
    expect(of('cohesix_worker_healthy')).toEqual([1]);
    expect(of('cohesix_worker_trust')).toEqual([2]);
    expect(of('cohesix_worker_gpu_load')).toEqual([3]);
  });

  it('pushes joins and timeouts to the live feed', async () => {
    const c = fresh();
    const { ticket } = (await c.post('/api/session', {})).json as { ticket: string };
    const ws = new WebSocket(`${stack.gui.url.replace('http', 'ws')}/api/live?ticket=${ticket}`);
    const seen: Array<string[]> = [];
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m)) as {
        type: string;
        state?: { workers: Array<{ worker_id: string }> };
      };
      if (msg.type === 'cluster') seen.push(msg.state!.workers.map((w) => w.worker_id));
    });
    await new Promise((r) => ws.once('open', r));
    await joinWorker('gui-live');
    const waitFor = async (pred: () => boolean, what: string) => {
      const deadline = Date.now() + 3000;
      while (!pred()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; last states: ${JSON.stringify(seen.slice(-3))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(() => seen.some((s) => s.includes('gui-live')), 'gui-live to appear');
    await waitFor(() => seen.at(-1)?.includes('gui-live') === false, 'gui-live to time out');
    ws.close();
  });

  it("gives the dashboard the contract's role list as a module, and the page imports it", async () => {
    const c = fresh();
    const roles = await c.get('/static/roles.js');
    expect(roles.status, `GET /static/roles.js answered ${roles.text.slice(0, 200)}`).toBe(200);
    const served = (await import(`data:text/javascript,${encodeURIComponent(roles.text)}`)) as {
      COHESIX_ROLES?: unknown;
    };
    expect(served.COHESIX_ROLES, 'the roles /static/roles.js exports').toEqual([...COHESIX_ROLES]);
    expect((await c.get('/static/app.js')).text).toContain("from './roles.js'");
  });

  it('refuses hostile input with clear errors and stays up', async () => {
    const c = fresh();
    for (const path of [
      '/static/../server.ts',
      '/static/%2e%2e/server.ts',
      '/static/..%2fserver.ts',
      '/static/app.js.map',
    ]) {
      const r = await c.get(path);
      expect(r.status, path).toBe(404);
      expect(r.text).not.toContain('startGuiServer');
    }
    expect((await c.post('/api/control', 'x'.repeat(20_000))).status).toBe(413);
    expect((await c.post('/api/control', '\u0000\u0001garbage')).status).toBe(400);
    expect(
      (await c.get('/api/status', { headers: { authorization: 'Basic !!!not-base64' }, auth: 'none' }))
        .status,
    ).toBe(401);
    expect(
      (await c.get('/api/status', { headers: { authorization: 'Bearer abc' }, auth: 'none' })).status,
    ).toBe(401);
    expect((await c.request('DELETE', '/api/status')).status).toBe(405);
    expect((await c.get('/api/nope')).status).toBe(404);
    expect((await c.get('/api/status')).status).toBe(200);
  });

  it('falls back to the active.json mirror only when the control plane is unreachable, and says so', async () => {
    const mirrorDir = mkdtempSync(join(tmpdir(), 'cohesix-gui-mirror-'));
    try {
      const { writeFileSync, mkdirSync } = await import('node:fs');
      mkdirSync(join(mirrorDir, 'srv/agents'), { recursive: true });
      writeFileSync(join(mirrorDir, 'srv/orch_user.json'), JSON.stringify(stack.credentials));
      writeFileSync(
        join(mirrorDir, 'srv/agents/active.json'),
        JSON.stringify({ queen_id: 'q-mirror', generated_at: 5, timeout_seconds: 9, workers: [] }),
      );
      const ca = readFileSync(stack.pki.ca.cert);
      const gui = await startGuiServer({
        stateDir: mirrorDir,
        grpcTimeoutMs: 500,
        orchestrator: {
          address: '127.0.0.1:1',
          tls: { ca, cert: readFileSync(stack.guiClient.cert), key: readFileSync(stack.guiClient.key) },
        },
      });
      try {
        const r = await new GuiHttpClient(gui.url, stack.credentials, undefined).get('/api/status');
        expect(r.status).toBe(200);
        expect(r.json).toMatchObject({
          source: 'mirror',
          status: 'degraded',
          queen_id: 'q-mirror',
          source_reason: expect.stringMatching(/unreachable/),
        });
      } finally {
        await gui.stop();
      }
    } finally {
      rmSync(mirrorDir, { recursive: true, force: true });
    }
  });
});
