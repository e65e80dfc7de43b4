// The GUI orchestrator and its control plane, through HTTP, gRPC and a real browser.
// One file on purpose: the cases run in this order in one worker, so a target with
// one global rate-limit bucket fails only the rate-limit case (the flood comes last),
// and the browser started by the first case is ready by the dashboard cases.
import { describe, expect, test } from '../../harness/fixtures.ts';

const GPU = {
  perf_watt: 41.5,
  mem_total: 24576,
  mem_free: 8192,
  last_temp: 67,
  gpu_capacity: 8,
  current_load: 5,
  latency_score: 3,
};

// The two timeout cases wait out the worker timeout side by side.
describe('live view', () => {
  test.concurrent(
    '/api/status follows GetClusterState: a worker joined over gRPC appears, then drops out on timeout',
    async ({ expect, gui, orchestrator, measure }) => {
      const worker = await orchestrator.joinWorker('status');
      const status = async () => {
        const r = await gui.http.get('/api/status');
        expect(r.status, 'GET /api/status').toBe(200);
        return r.json as {
          workers: number;
          worker_statuses: Array<{ worker_id: string }>;
          source?: string;
          timeout_seconds: number;
        };
      };
      const first = await status();
      const verdict = gui.validate('gui-status', first);
      expect(verdict.problems, 'GET /api/status against schemas/gui-status.schema.json').toEqual([]);
      const ids = (s: Awaited<ReturnType<typeof status>>) => s.worker_statuses.map((w) => w.worker_id);
      const appeared = await gui.waitFor(`${worker.id} in /api/status`, status, (s) =>
        ids(s).includes(worker.id),
      );
      expect(appeared.value.workers, '"workers" counts "worker_statuses"').toBe(
        appeared.value.worker_statuses.length,
      );
      if (appeared.value.source !== undefined)
        expect(appeared.value.source, 'status served from the live control plane').toBe('grpc');
      const grpcState = await orchestrator.state();
      expect(appeared.value.timeout_seconds, 'timeout_seconds as GetClusterState reports it').toBe(
        grpcState.timeout_seconds,
      );

      worker.stopHeartbeats();
      const timeoutMs = grpcState.timeout_seconds * 1000;
      const gone = await gui.waitFor(
        `${worker.id} to leave /api/status after ${grpcState.timeout_seconds}s without heartbeat`,
        status,
        (s) => !ids(s).includes(worker.id),
        timeoutMs + gui.liveBoundMs,
      );
      measure.record({
        name: 'status-appear',
        unit: 'ms',
        samples: [appeared.ms],
        budget: gui.liveBoundMs,
        statistic: 'max',
      });
      measure.record({
        name: 'status-timeout-drop',
        unit: 'ms',
        samples: [gone.ms],
        budget: timeoutMs + gui.liveBoundMs,
        statistic: 'max',
      });
    },
  );

  test.concurrent(
    "the dashboard's live agent table shows a joined worker within the bound and drops it on timeout",
    async ({ expect, gui, orchestrator, dashboard, measure }) => {
      const page = await dashboard.open();
      await page.locator('#agent-table').waitFor({ state: 'attached', timeout: gui.liveBoundMs });
      const worker = await orchestrator.joinWorker('dash', { gpu: GPU });
      const row = page.locator(`#agent-table tbody tr[data-worker-id="${worker.id}"]`);
      const started = performance.now();
      await row.waitFor({ state: 'visible', timeout: gui.liveBoundMs });
      const appearedMs = Math.round(performance.now() - started);
      const rowSel = `#agent-table tbody tr[data-worker-id="${worker.id}"]`;
      const panels: Array<[string, () => Promise<string | null>, (v: string | null) => boolean]> = [
        [
          'role column shows DroneWorker',
          () => dashboard.text(`${rowSel} .role`),
          (v) => v === 'DroneWorker',
        ],
        [
          `GPU status panel shows load ${GPU.current_load}`,
          () => dashboard.text(`#gpu-table tbody tr[data-worker-id="${worker.id}"] .gpu-load`),
          (v) => v === String(GPU.current_load),
        ],
        ['federation peers panel lists a peer', () => dashboard.text('#federation-peers li'), (v) => !!v],
        ['boot attestation log panel has lines', () => dashboard.text('#attestation-log'), (v) => !!v],
        [
          'role manifest viewer shows a manifest',
          () => dashboard.text('#manifest-view'),
          (v) => !!v && v !== '{}',
        ],
      ];
      for (const [what, probe, done] of panels)
        expect.soft(await gui.within(what, probe, done), what).toBeUndefined();
      await dashboard.screenshot('dashboard-live');

      worker.stopHeartbeats();
      const { timeout_seconds } = await orchestrator.state();
      const dropStarted = performance.now();
      await row.waitFor({ state: 'detached', timeout: timeout_seconds * 1000 + gui.liveBoundMs });
      measure.record({
        name: 'dashboard-appear',
        unit: 'ms',
        samples: [appearedMs],
        budget: gui.liveBoundMs,
        statistic: 'max',
      });
      measure.record({
        name: 'dashboard-timeout-drop',
        unit: 'ms',
        samples: [Math.round(performance.now() - dropStarted)],
        budget: timeout_seconds * 1000 + gui.liveBoundMs,
        statistic: 'max',
      });
    },
  );
});

describe('control', () => {
  test('a change made through /api/control or the dashboard UI is what GetClusterState returns', async ({
    gui,
    orchestrator,
    dashboard,
  }) => {
    const worker = await orchestrator.joinWorker('control');
    const workerIn = async () => (await orchestrator.state()).workers.find((w) => w.worker_id === worker.id);

    // through the API
    const assign = await gui.http.post('/api/control', {
      command: 'assign-role',
      worker_id: worker.id,
      role: 'SensorRelay',
    });
    expect(assign.status, 'assign-role answered').toBe(200);
    expect(
      gui.validate('gui-control-ack', assign.json).problems,
      'assign-role ack against schemas/gui-control-ack.schema.json',
    ).toEqual([]);
    expect
      .soft((await workerIn())?.role, 'role in GetClusterState after assign-role through /api/control')
      .toBe('SensorRelay');
    const trust = await gui.http.post('/api/control', {
      command: 'update-trust',
      worker_id: worker.id,
      trust_level: 'yellow',
    });
    expect(trust.status, 'update-trust answered').toBe(200);
    expect
      .soft((await workerIn())?.trust, 'trust in GetClusterState after update-trust through /api/control')
      .toBe('yellow');
    const schedule = await gui.http.post('/api/control', {
      command: 'schedule',
      agent_id: `qa-agent-${worker.id}`,
      require_gpu: false,
    });
    expect(schedule.status, 'schedule answered').toBe(200);
    expect(gui.validate('gui-control-ack', schedule.json).problems, 'schedule ack').toEqual([]);

    // through the dashboard's UI
    const page = await dashboard.open();
    await page
      .locator(`#assign-worker option[value="${worker.id}"]`)
      .waitFor({ state: 'attached', timeout: gui.liveBoundMs });
    await page.selectOption('#assign-worker', worker.id);
    await page.selectOption('#assign-role', 'GlassesAgent');
    await page.click('#assign-submit');
    await gui.waitFor(
      'the dashboard to report the control result',
      () => dashboard.attribute('#control-result', 'data-ok'),
      (v) => v !== null,
    );
    expect(await dashboard.text('#control-result'), 'dashboard control result').toMatch(/^ack/);
    const uiReached = await gui.within(
      `GetClusterState to show ${worker.id} as GlassesAgent after the dashboard's assign`,
      workerIn,
      (w) => w?.role === 'GlassesAgent',
    );
    expect.soft(uiReached, 'role assigned in the dashboard reaches GetClusterState').toBeUndefined();
    const shown = await gui.within(
      'the table to show the new role',
      () => dashboard.text(`#agent-table tbody tr[data-worker-id="${worker.id}"] .role`),
      (v) => v === 'GlassesAgent',
    );
    expect.soft(shown, 'the agent table shows the role assigned in the UI').toBeUndefined();
  });

  test('unknown commands get 502 and malformed bodies 400, each with a JSON error', async ({ gui }) => {
    const cases: Array<[string, string | object, number]> = [
      ['unknown command', { command: 'format-all-disks' }, 502],
      ['not JSON', '{"command": "assign-role",', 400],
      ['not an object', '["assign-role"]', 400],
      ['assign-role without role', { command: 'assign-role', worker_id: 'qa-nobody' }, 400],
      ['update-trust without trust_level', { command: 'update-trust', worker_id: 'qa-nobody' }, 400],
      ['schedule without agent_id', { command: 'schedule' }, 400],
    ];
    for (const [what, body, want] of cases) {
      const r = await gui.http.post('/api/control', body);
      expect.soft(r.status, `${what} → HTTP ${want}`).toBe(want);
      expect
        .soft(
          gui.validate('gui-error', r.json).problems,
          `${what}: body against schemas/gui-error.schema.json`,
        )
        .toEqual([]);
    }
  });
});

describe('control plane', () => {
  test('RequestSchedule with require_gpu places work only on a worker with a GPU', async ({
    orchestrator,
  }) => {
    const gpuWorker = await orchestrator.joinWorker('gpu', { gpu: GPU });
    await orchestrator.joinWorker('cpu');
    const placed = await orchestrator.call('RequestSchedule', {
      agent_id: `qa-gpu-job-${gpuWorker.id}`,
      require_gpu: true,
    });
    expect(placed.assigned, 'a GPU worker is joined, so GPU work is placed').toBe(true);
    const chosen = (await orchestrator.state()).workers.find((w) => w.worker_id === placed.worker_id);
    expect(chosen, `the worker ${placed.worker_id} it was placed on`).toBeDefined();
    expect(chosen!.gpu?.gpu_capacity ?? 0, `GPU capacity of ${placed.worker_id}`).toBeGreaterThan(0);
  });
});

describe('auth', () => {
  test('every API route answers 401 without credentials or with wrong ones', async ({ gui }) => {
    const routes: Array<[string, string]> = [
      ['GET', '/api/status'],
      ['POST', '/api/control'],
      ['GET', '/api/metrics'],
    ];
    for (const [method, path] of routes) {
      const body = method === 'POST' ? { command: 'schedule', agent_id: 'qa-auth-probe' } : undefined;
      for (const [label, auth] of [
        ['no credentials', 'none'] as const,
        ...gui.wrongCredentials().map((c, i) => [`wrong credentials #${i + 1}`, c] as const),
      ]) {
        const r = await gui.http.request(method, path, { auth, body });
        expect.soft(r.status, `${method} ${path} with ${label}`).toBe(401);
        if (r.status === 401)
          expect
            .soft(String(r.headers['www-authenticate'] ?? ''), `${method} ${path} 401 challenge`)
            .toMatch(/^Basic /i);
      }
    }
  });

  test('the credentials never appear in responses, the access log or the evidence', async ({
    gui,
    evidence,
    runInfo,
  }) => {
    const responses = [
      await gui.http.get('/api/status'),
      await gui.http.get('/api/metrics'),
      await gui.http.get('/api/status', { auth: 'none' }),
      await gui.http.get('/api/status', { auth: gui.wrongCredentials()[0]! }),
    ];
    for (const r of responses)
      expect(
        gui.leaksCredentials(JSON.stringify(r.headers) + r.text),
        'a response echoes the credentials',
      ).toBe(false);
    const log = (() => {
      try {
        return gui.accessLog();
      } catch {
        return undefined;
      }
    })();
    if (log) expect(gui.leaksCredentials(log.readFrom(0)), `${log.path} holds the credentials`).toBe(false);
    const ref = evidence.attach('authenticated-exchange.txt', gui.http.transcript());
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const stored = readFileSync(join(runInfo.outDir, ref.path), 'utf8');
    expect(stored, 'evidence shows that the request was authenticated').toMatch(
      /authorization: Basic \*\*\*/,
    );
    expect(gui.leaksCredentials(stored), 'evidence file holds the credentials').toBe(false);
  });
});

describe('metrics', () => {
  test('/api/metrics is Prometheus text with health, trust and GPU-load series per worker', async ({
    gui,
    orchestrator,
  }) => {
    const workers = [
      await orchestrator.joinWorker('metrics-a', { gpu: GPU }),
      await orchestrator.joinWorker('metrics-b', { gpu: { ...GPU, current_load: 1 } }),
    ];
    const r = await gui.http.get('/api/metrics');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type']), 'Prometheus text content type').toMatch(/^text\/plain(;|$)/);
    const parsed = gui.parseMetrics(r.text);
    expect(parsed.errors, 'lines that are not Prometheus exposition format').toEqual([]);
    for (const w of workers) {
      const series = parsed.samples.filter((s) => Object.values(s.labels).includes(w.id));
      const names = [...new Set(series.map((s) => s.name))];
      expect
        .soft(
          names.some((n) => /health|_up$/.test(n)),
          `a health series for ${w.id} (have: ${names.join(', ') || 'none'})`,
        )
        .toBe(true);
      expect
        .soft(
          names.some((n) => /trust/.test(n)),
          `a trust series for ${w.id}`,
        )
        .toBe(true);
      const load = series.find((s) => /gpu.*load/.test(s.name));
      expect
        .soft(load?.value, `GPU load series for ${w.id}`)
        .toBe(w.id.includes('metrics-a') ? GPU.current_load : 1);
    }
  });
});

describe('rate limit', () => {
  test('the 61st request in a minute from one client gets 429 while a second client is served', async ({
    gui,
  }) => {
    const flooder = gui.http;
    const bystander = gui.newClient();
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await flooder.get('/api/status')).status);
    const elapsedS = (performance.now() - started) / 1000;
    // a bucket refills one token a second: a slow burst earns that many extra requests
    const allowance = Math.floor(elapsedS);
    let extra = 0;
    while (statuses.at(-1) !== 429 && extra < allowance) {
      statuses.push((await flooder.get('/api/status')).status);
      extra++;
    }
    const firstRefused = statuses.indexOf(429);
    expect(
      statuses.slice(0, 60).filter((s) => s !== 200),
      'the first 60 requests are served',
    ).toEqual([]);
    expect(
      firstRefused,
      `request number (0-based) first answered 429, within ${elapsedS.toFixed(2)}s`,
    ).toBeGreaterThanOrEqual(60);
    const second = await bystander.get('/api/status');
    expect(
      second.status,
      `a second client (${bystander.localAddress}) is still served while ${flooder.localAddress} is limited`,
    ).toBe(200);
  });

  test('a refused request leaves a rate-limit alert line in /log/gui_access.log', async ({ gui }) => {
    const log = gui.accessLog();
    const before = log.size();
    let refused = -1;
    for (let i = 0; i < 70 && refused < 0; i++)
      if ((await gui.http.get('/api/metrics')).status === 429) refused = i;
    expect(refused, 'a flood of 70 requests from one client is refused at some point').toBeGreaterThanOrEqual(
      0,
    );
    const client = gui.http.localAddress ?? '';
    const alertLines = () =>
      log
        .readFrom(before)
        .split('\n')
        .filter((l) => /rate.?limit/i.test(l) && l.includes(client));
    const found = await gui
      .waitFor(
        `an alert line for ${client || 'this client'} in ${log.path}`,
        async () => alertLines(),
        (l) => l.length > 0,
        1000,
      )
      .then(
        () => undefined,
        (e: Error) => e.message,
      );
    expect(found, `rate-limit alert line naming ${client} in ${log.path}`).toBeUndefined();
  });
});
