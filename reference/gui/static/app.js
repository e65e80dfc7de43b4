/* global document, Option, WebSocket, location */
// Dashboard: a ticket from POST /api/session opens the live feed (/api/live); the
// tables redraw on every cluster message. Role changes go through POST /api/control.
// roles.js is made by the server from contract/roles.ts (the contract's role list).
import { COHESIX_ROLES as ROLES } from './roles.js';

const $ = (id) => document.getElementById(id);

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function setLive(state) {
  $('live-state').dataset.state = state;
  $('live-state').textContent = state;
}

function renderCluster(msg) {
  const { state, source } = msg;
  $('queen-id').textContent = state.queen_id;
  $('source').textContent = source;
  $('generated-at').textContent = new Date(state.generated_at * 1000).toISOString();
  $('worker-count').textContent = String(state.workers.length);
  const agents = $('agent-table').tBodies[0];
  const gpus = $('gpu-table').tBodies[0];
  agents.replaceChildren();
  gpus.replaceChildren();
  for (const w of state.workers) {
    const row = document.createElement('tr');
    row.dataset.workerId = w.worker_id;
    cell(row, w.worker_id, 'worker-id');
    cell(row, w.role, 'role');
    cell(row, w.status, 'status');
    cell(row, w.trust, `trust trust-${w.trust}`);
    cell(row, w.ip, 'ip');
    cell(row, new Date(w.last_seen * 1000).toISOString().slice(11, 19), 'last-seen');
    agents.appendChild(row);
    if (w.gpu) {
      const g = document.createElement('tr');
      g.dataset.workerId = w.worker_id;
      cell(g, w.worker_id);
      cell(g, String(w.gpu.current_load), 'gpu-load');
      cell(g, String(w.gpu.gpu_capacity));
      cell(g, String(w.gpu.last_temp));
      cell(g, Number(w.gpu.perf_watt).toFixed(1));
      cell(g, `${w.gpu.mem_free} / ${w.gpu.mem_total}`);
      gpus.appendChild(g);
    }
  }
  const select = $('assign-worker');
  const chosen = select.value;
  select.replaceChildren(...state.workers.map((w) => new Option(w.worker_id, w.worker_id)));
  if (state.workers.some((w) => w.worker_id === chosen)) select.value = chosen;
}

function renderNamespace(msg) {
  $('federation-peers').replaceChildren(
    ...msg.federation_peers.map((p) => {
      const li = document.createElement('li');
      li.dataset.peerId = p.peer_id;
      li.textContent = `${p.peer_id} ${p.endpoint} ${p.status}`;
      return li;
    }),
  );
  $('attestation-log').textContent = msg.attestation_log.join('\n');
  const manifests = msg.role_manifests;
  const select = $('manifest-role');
  select.replaceChildren(...Object.keys(manifests).map((r) => new Option(r, r)));
  const show = () => {
    $('manifest-view').textContent = JSON.stringify(manifests[select.value] ?? {}, null, 2);
  };
  select.onchange = show;
  show();
}

async function connect() {
  setLive('connecting');
  try {
    const r = await fetch('/api/session', { method: 'POST' });
    if (!r.ok) throw new Error(`session: HTTP ${r.status}`);
    const { ticket } = await r.json();
    const ws = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live?ticket=${encodeURIComponent(ticket)}`,
    );
    ws.onopen = () => setLive('live');
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === 'cluster') renderCluster(msg);
      else if (msg.type === 'namespace') renderNamespace(msg);
      else if (msg.type === 'error') console.warn('cluster state unavailable:', msg.error);
    };
    ws.onclose = () => {
      setLive('disconnected');
      setTimeout(connect, 2000);
    };
  } catch (e) {
    console.error('live feed:', e.message);
    setLive('disconnected');
    setTimeout(connect, 2000);
  }
}

$('assign-role').replaceChildren(...ROLES.map((r) => new Option(r, r)));
$('assign-role-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const out = $('control-result');
  out.textContent = 'sending…';
  delete out.dataset.ok;
  try {
    const r = await fetch('/api/control', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        command: 'assign-role',
        worker_id: $('assign-worker').value,
        role: $('assign-role').value,
      }),
    });
    const body = await r.json();
    out.dataset.ok = String(r.ok);
    out.textContent = r.ok ? `ack: ${body.status}` : `error ${r.status}: ${body.error}`;
  } catch (e) {
    out.dataset.ok = 'false';
    out.textContent = `error: ${e.message}`;
  }
});
connect();
