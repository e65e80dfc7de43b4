// The reference GUI orchestrator: HTTP API + dashboard + live WebSocket, every view
// of the cluster read from the control plane over gRPC (mTLS) at request time.
// Contract paths are rooted at the service's state dir: <stateDir>/srv/orch_user.json,
// <stateDir>/srv/agents/active.json, <stateDir>/log/gui_access.log.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { controlPlaneClient, ControlPlaneCallError, type ControlPlaneTls } from '../orchestrator/client.ts';
import { COHESIX_ROLES } from '../../contract/roles.ts';
import { AccessLog } from './access-log.ts';
import { basicAuthMatches, loadCredentials, type OrchCredentials } from './auth.ts';
import { readCluster } from './cluster-source.ts';
import { parseControl } from './control.ts';
import { GUI_DEFECT_NAMES, staticStatusPayload, type GuiDefectName } from './defect-names.ts';
import { GuiMetrics } from './metrics.ts';
import { readDashboardNamespace } from './namespace.ts';
import { TokenBucketLimiter } from './rate-limit.ts';

export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

export const GUI_PATHS = {
  credentials: 'srv/orch_user.json',
  mirror: 'srv/agents/active.json',
  accessLog: 'log/gui_access.log',
  /** where the gui-access-log-path defect writes instead */
  misplacedAccessLog: 'var/log/gui/access.log',
} as const;

/**
 * Choices the contract leaves open, made the other way from the reference's: a GUI
 * that follows the contract but would fail a suite strict beyond it. The project's
 * tests run the gui suite against it as an external target
 * (docs/decisions/gui-strictness.md).
 */
export interface GuiSilentChoices {
  /** "seconds" (reference): whole seconds as an integer; "duration": a string such as "1h2m3s" */
  uptime?: 'seconds' | 'duration';
  /** "null" (reference): every worker has a gpu key, null without telemetry; "omit": no key then */
  gpuKey?: 'null' | 'omit';
}

export interface GuiServerOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  stateDir: string;
  /** contract's --dev: no basic auth */
  dev?: boolean;
  orchestrator: { address: string; tls: ControlPlaneTls; serverName?: string };
  /** contract's --log-file; default <stateDir>/log/gui_access.log */
  logFile?: string;
  /** the defect modes in force (GUI_DEFECT_NAMES); several may be on at once */
  defects?: ReadonlySet<string>;
  rateLimitPerMinute?: number;
  livePollMs?: number;
  grpcTimeoutMs?: number;
  /** the other readings of what the contract leaves open (default: the reference's) */
  choices?: GuiSilentChoices;
}

function duration(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  return `${h}h${m}m${totalSeconds % 60}s`;
}

export interface RunningGui {
  url: string;
  port: number;
  accessLogPath: string;
  stop(): Promise<void>;
}

const MAX_BODY = 16 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** /static/roles.js: the dashboard's role list, made from contract/roles.ts so the page keeps no copy */
const ROLES_MODULE = `export const COHESIX_ROLES = ${JSON.stringify(COHESIX_ROLES)};\n`;

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function clientAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startGuiServer(opts: GuiServerOptions): Promise<RunningGui> {
  const defects = (opts.defects ?? new Set<string>()) as ReadonlySet<GuiDefectName>;
  for (const defect of defects)
    if (!(GUI_DEFECT_NAMES as readonly string[]).includes(defect))
      throw new Error(`unknown GUI defect "${defect}"; known: ${GUI_DEFECT_NAMES.join(', ')}`);
  const startedAt = Date.now();
  const credentials: OrchCredentials | undefined = opts.dev
    ? undefined
    : loadCredentials(join(opts.stateDir, GUI_PATHS.credentials));
  const mirrorPath = join(opts.stateDir, GUI_PATHS.mirror);
  const contractLog = opts.logFile ?? join(opts.stateDir, GUI_PATHS.accessLog);
  const accessLog = new AccessLog(
    defects.has('gui-access-log-path') ? join(opts.stateDir, GUI_PATHS.misplacedAccessLog) : contractLog,
  );
  const perMinute = opts.rateLimitPerMinute ?? 60;
  const limiter = new TokenBucketLimiter(perMinute, perMinute);
  const metrics = new GuiMetrics();
  const grpcTimeout = opts.grpcTimeoutMs ?? 1500;
  const orch = controlPlaneClient(
    opts.orchestrator.address,
    opts.orchestrator.tls,
    opts.orchestrator.serverName,
  );
  const tickets = new Map<string, number>();

  const authRequired = (path: string): boolean => {
    if (!credentials || defects.has('gui-no-auth')) return false;
    if (defects.has('gui-auth-control-only')) return path === '/api/control';
    return true;
  };

  const handleStatus = async (res: ServerResponse): Promise<void> => {
    if (defects.has('gui-static-status')) return sendJson(res, 200, staticStatusPayload());
    const read = await readCluster(orch, mirrorPath, grpcTimeout);
    if (read.source === 'none')
      return sendJson(res, read.httpStatus, { error: `cluster state unavailable: ${read.error}` });
    const uptime = Math.floor((Date.now() - startedAt) / 1000);
    const omitGpu = opts.choices?.gpuKey === 'omit';
    sendJson(res, 200, {
      uptime: opts.choices?.uptime === 'duration' ? duration(uptime) : uptime,
      status: read.source === 'grpc' ? 'ok' : 'degraded',
      role: 'QueenPrimary',
      queen_id: read.state.queen_id,
      workers: read.state.workers.length,
      generated_at: read.state.generated_at,
      timeout_seconds: read.state.timeout_seconds,
      worker_statuses: omitGpu
        ? read.state.workers.map(({ gpu, ...w }) => (gpu ? { ...w, gpu } : w))
        : read.state.workers,
      source: read.source,
      ...(read.source === 'mirror' ? { source_reason: `control plane unreachable: ${read.grpcError}` } : {}),
    });
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    if (raw === undefined) return sendJson(res, 413, { error: `body larger than ${MAX_BODY} bytes` });
    const parsed = parseControl(raw);
    if (!parsed.ok) return sendJson(res, parsed.status, { error: parsed.error });
    if (defects.has('gui-noop-control')) return sendJson(res, 200, { status: 'ack' });
    try {
      const result = await orch.call(parsed.call.rpc, parsed.call.request as never, grpcTimeout);
      sendJson(res, 200, { status: 'ack', rpc: parsed.call.rpc, result });
    } catch (e) {
      const detail = e instanceof ControlPlaneCallError ? { grpc_code: e.code } : {};
      sendJson(res, 502, {
        error: e instanceof Error ? e.message : String(e),
        rpc: parsed.call.rpc,
        ...detail,
      });
    }
  };

  const handleMetrics = async (res: ServerResponse): Promise<void> => {
    const read = await readCluster(orch, mirrorPath, grpcTimeout);
    const state = read.source === 'grpc' ? read.state : undefined;
    if (defects.has('gui-metrics-json')) {
      return sendJson(res, 200, {
        control_plane_up: state ? 1 : 0,
        workers: (state?.workers ?? []).map((w) => ({
          worker_id: w.worker_id,
          trust: w.trust,
          gpu_load: w.gpu?.current_load ?? null,
        })),
      });
    }
    const body = await metrics.render(state);
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(body);
  };

  const handleSession = (res: ServerResponse): void => {
    const ticket = randomBytes(24).toString('hex');
    tickets.set(ticket, Date.now() + 30_000);
    sendJson(res, 200, { ticket, expires_in: 30 });
  };

  const serveStatic = async (path: string, res: ServerResponse): Promise<void> => {
    const rel = normalize(path.slice('/static/'.length) || 'index.html');
    const type = CONTENT_TYPES[extname(rel)];
    if (rel.startsWith('..') || rel.includes('/') || !type)
      return sendJson(res, 404, { error: `no static file ${path}` });
    try {
      const body = rel === 'roles.js' ? ROLES_MODULE : await readFile(join(STATIC_DIR, rel));
      res.writeHead(200, {
        'content-type': type,
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'self'; connect-src 'self'",
      });
      res.end(body);
    } catch {
      sendJson(res, 404, { error: `no static file ${path}` });
    }
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    const client = clientAddress(req);
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    res.on('finish', () => {
      accessLog.request(client, method, path, res.statusCode, Date.now() - started);
      if (path.startsWith('/api/')) metrics.requests.inc({ route: path, code: String(res.statusCode) });
    });
    const route = async (): Promise<void> => {
      if (path === '/' || path === '/static' || path === '/static/') {
        res.writeHead(302, { location: '/static/index.html' });
        res.end();
        return;
      }
      if (path.startsWith('/static/')) return serveStatic(path, res);
      if (path === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (!path.startsWith('/api/')) return sendJson(res, 404, { error: `no route ${path}` });
      const decision = limiter.take(defects.has('gui-global-rate-limit') ? 'all-clients' : client);
      if (!decision.allowed) {
        accessLog.rateLimited(client, method, path, perMinute);
        metrics.rateLimited.inc();
        return sendJson(
          res,
          429,
          { error: `rate limit of ${perMinute} requests per minute exceeded` },
          { 'retry-after': String(decision.retryAfterSeconds) },
        );
      }
      if (authRequired(path) && !basicAuthMatches(req.headers.authorization, credentials!)) {
        return sendJson(
          res,
          401,
          { error: 'authentication required' },
          { 'www-authenticate': 'Basic realm="cohesix-orchestrator", charset="UTF-8"' },
        );
      }
      const expect = (m: string): boolean => {
        if (method === m) return true;
        sendJson(res, 405, { error: `${path} accepts ${m} only` }, { allow: m });
        return false;
      };
      switch (path) {
        case '/api/status':
          return expect('GET') ? handleStatus(res) : undefined;
        case '/api/control':
          return expect('POST') ? handleControl(req, res) : undefined;
        case '/api/metrics':
          return expect('GET') ? handleMetrics(res) : undefined;
        case '/api/session':
          return expect('POST') ? handleSession(res) : undefined;
        case '/api/live':
          return sendJson(res, 426, { error: '/api/live is a WebSocket endpoint' }, { upgrade: 'websocket' });
        default:
          return sendJson(res, 404, { error: `no route ${path}` });
      }
    };
    route().catch((e: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: `internal error: ${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    });
  });

  // Live updates: dashboard clients get the namespace once and the cluster state on every change.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  let lastBroadcast = '';
  const sendCluster = async (targets: Iterable<WebSocket>, force: boolean): Promise<void> => {
    const read = await readCluster(orch, mirrorPath, grpcTimeout);
    const msg =
      read.source === 'none'
        ? { type: 'error', error: read.error }
        : { type: 'cluster', source: read.source, state: read.state };
    const text = JSON.stringify(msg);
    if (!force && text === lastBroadcast) return;
    lastBroadcast = text;
    for (const ws of targets) if (ws.readyState === ws.OPEN) ws.send(text);
  };
  const rejectUpgrade = (socket: Duplex, status: string): void => {
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://gui');
    if (url.pathname !== '/api/live') return rejectUpgrade(socket, '404 Not Found');
    const ticket = url.searchParams.get('ticket') ?? '';
    const expires = tickets.get(ticket);
    tickets.delete(ticket);
    if (authRequired('/api/live') && (expires === undefined || expires < Date.now()))
      return rejectUpgrade(socket, '401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(JSON.stringify({ type: 'namespace', ...readDashboardNamespace(opts.stateDir) }));
      void sendCluster([ws], true);
    });
  });
  const poll = setInterval(() => {
    for (const [t, exp] of tickets) if (exp < Date.now()) tickets.delete(t);
    if (wss.clients.size > 0) void sendCluster(wss.clients, false);
  }, opts.livePollMs ?? 250);
  poll.unref();

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new Error(`GUI could not listen on ${host}:${opts.port ?? 0}: ${e.message}`)),
    );
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://${host}:${port}`,
    port,
    accessLogPath: accessLog.path,
    async stop() {
      clearInterval(poll);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      orch.close();
    },
  };
}
