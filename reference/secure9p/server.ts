// The reference Secure9P server: 9P2000 over TLS (mutual TLS when the policy
// says require_client_auth = true) and a plain 9P listener, both serving the
// per-agent synthetic namespaces of one policy. The agent's identity comes
// from the client certificate (a spiffe://<trust domain>/role/<agent> URI SAN,
// else the CN); on plain 9P (and on TLS without a certificate when client auth
// is not required) it is the Tattach uname. Defect modes are honoured here.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { socketTransport, type Transport } from '../../contract/ninep/transport.ts';
import { IOHDRSZ } from '../../contract/ninep/codec.ts';
import type { Grant, ServerPolicy } from './policy-file.ts';
import { buildTree, type LogFiles, type Node } from './namespace.ts';
import { AuditLog, type LiveTraceEvent } from './audit.ts';
import { Session, type AgentBinding } from './session.ts';

export const SECURE9P_DEFECTS = [
  'secure9p-no-mtls',
  'secure9p-unlogged-denial',
  'secure9p-no-trace-id',
  'secure9p-traversal',
  'secure9p-policy-ignored',
] as const;

export interface Secure9pServerOptions {
  policy: ServerPolicy;
  /** default 127.0.0.1 */
  host?: string;
  /** TLS port; overrides the policy's port (0 = any free port) */
  port?: number;
  /** plain 9P port (0 = any free port, null = no plain listener). Default 0. */
  plainPort?: number | null;
  /** host directory for the logs (log/net_trace_secure9p.log, log/net_trace.log, log/trace/live.log) */
  stateDir: string;
  /** the defect modes in force (SECURE9P_DEFECTS); several may be on at once */
  defects?: ReadonlySet<string>;
  maxMsize?: number;
  /**
   * The live trace, when another recorder owns it (the trace area's reference service):
   * events go to `sink`, and `file` (a host file the sink writes) is shown at `nsPath`.
   * Default: the server appends to <stateDir>/log/trace/live.log, shown at /log/trace/live.log.
   */
  liveTrace?: { sink: (e: LiveTraceEvent) => void; file: string; nsPath: string };
}

export interface CapToken {
  id: string;
  agent: string;
  grants: string[];
  /** sha256 of the token; /etc/cohcap.json holds only this, never the token */
  sha256: string;
}

export interface Secure9pServer {
  host: string;
  tlsPort: number;
  plainPort?: number;
  logs: LogFiles;
  /** the raw capability token of each agent (plain 9P: present it as the Tattach aname) */
  capTokens: Record<string, string>;
  /** trace ids in each agent's /srv/agent_meta/trace_id.txt */
  agentTraceIds: Record<string, string>;
  tree: Node;
  /** serve one already-connected transport (tests feed in-memory connections through this) */
  serveTransport(t: Transport, kind: 'secure9p' | 'plain', certIdentity?: string): void;
  stop(): Promise<void>;
}

/** The agent named by a client certificate: spiffe://<domain>/role/<agent> first, then the CN. */
export function identityFromCert(cert: tls.PeerCertificate | undefined): string | undefined {
  if (!cert || !cert.subject) return undefined;
  const uris = (cert.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('URI:'))
    .map((s) => s.slice(4));
  for (const u of uris) {
    const m = /^spiffe:\/\/[^/]+\/role\/([a-z][a-z0-9_]*)$/.exec(u);
    if (m) return m[1];
  }
  const cn = cert.subject.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(a && typeof a === 'object' ? a.port : port);
    });
  });
}

export async function startSecure9pServer(opts: Secure9pServerOptions): Promise<Secure9pServer> {
  const { policy } = opts;
  const defects = opts.defects ?? new Set<string>();
  const host = opts.host ?? '127.0.0.1';
  const maxMsize = opts.maxMsize ?? 65536 + IOHDRSZ;
  const logs: LogFiles = {
    secure9p: join(opts.stateDir, 'log', 'net_trace_secure9p.log'),
    plain: join(opts.stateDir, 'log', 'net_trace.log'),
    trace: opts.liveTrace?.file ?? join(opts.stateDir, 'log', 'trace', 'live.log'),
    traceNsPath: opts.liveTrace?.nsPath,
  };
  const audit = new AuditLog(logs, {
    traceSink: opts.liveTrace?.sink,
    traceDir: opts.liveTrace ? posix.dirname(opts.liveTrace.nsPath) : undefined,
    skipDenialLog: defects.has('secure9p-unlogged-denial'),
    omitTraceIdFromErrors: defects.has('secure9p-no-trace-id'),
  });

  // one capability token per agent, granting its write rules on plain 9P
  const capTokens: Record<string, string> = {};
  const tokens: CapToken[] = [];
  for (const a of policy.agents.values()) {
    const token = randomBytes(16).toString('hex');
    capTokens[a.agent] = token;
    tokens.push({
      id: `cap-${a.agent}`,
      agent: a.agent,
      grants: a.rules.filter((r) => r.op === 'write').map((r) => `write:${r.path}`),
      sha256: createHash('sha256').update(token).digest('hex'),
    });
  }
  const cohcap = JSON.stringify({ version: 1, tokens }, null, 2) + '\n';
  const { root: tree, agents } = buildTree([...policy.agents.values()], logs, cohcap);
  const agentTraceIds = Object.fromEntries([...agents.values()].map((a) => [a.agent, a.traceId]));

  const access = { ignoreWriteRules: defects.has('secure9p-policy-ignored') };
  // the traversal defect is a Secure9P one: the plain listener keeps its roots
  const traversalEscapes = defects.has('secure9p-traversal');

  const bindSecure = (identity: string): AgentBinding | undefined => {
    const a = policy.agents.get(identity);
    const t = agents.get(identity);
    if (!a || !t) return undefined;
    return {
      subject: { agent: a.agent, readOnly: a.readOnly, rules: a.rules, transport: 'secure9p' },
      rootParts: t.rootParts,
    };
  };
  const bindPlain = (identity: string, aname: string): AgentBinding | undefined => {
    const a = policy.agents.get(identity);
    const t = agents.get(identity);
    if (!a || !t) return undefined;
    const digest = createHash('sha256').update(aname).digest('hex');
    const tok = tokens.find((x) => x.agent === identity && x.sha256 === digest);
    const rules: Grant[] = (tok?.grants ?? []).map((g) => ({
      op: 'write',
      path: g.slice('write:'.length),
    }));
    return {
      subject: { agent: a.agent, readOnly: a.readOnly, rules, transport: 'plain' },
      rootParts: t.rootParts,
    };
  };

  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };

  // mutual TLS: with require_client_auth the handshake itself refuses a missing, foreign or
  // expired certificate. The no-mtls defect lets a certificate-less client through (a presented
  // but invalid certificate is still refused), as does require_client_auth = false.
  const strict = policy.listener.clientCertRequired && !defects.has('secure9p-no-mtls');
  const tlsServer = tls.createServer({
    cert: readFileSync(policy.listener.cert),
    key: readFileSync(policy.listener.key),
    ca: policy.listener.ca ? readFileSync(policy.listener.ca) : undefined,
    requestCert: true,
    rejectUnauthorized: strict,
    minVersion: 'TLSv1.2',
  });
  tlsServer.on('secureConnection', (sock: tls.TLSSocket) => {
    track(sock);
    const peer = `${sock.remoteAddress}:${sock.remotePort}`;
    const cert = sock.getPeerCertificate();
    const presented = cert && Object.keys(cert).length > 0;
    if (presented && !sock.authorized) {
      audit.deny({
        transport: 'secure9p',
        actor: identityFromCert(cert) ?? '(unknown)',
        op: 'connect',
        path: '/',
        reason: `client certificate refused: ${String(sock.authorizationError)}`,
        peer,
      });
      sock.destroy();
      return;
    }
    const certIdentity = presented ? identityFromCert(cert) : undefined;
    new Session(socketTransport(sock, `secure9p ${peer}`), {
      transport: 'secure9p',
      certIdentity,
      peer,
      maxMsize,
      tree,
      audit,
      access,
      traversalEscapes,
      bindAgent: (id) => bindSecure(id),
    });
  });
  tlsServer.on('tlsClientError', (err, sock) => {
    audit.deny({
      transport: 'secure9p',
      actor: '(unauthenticated)',
      op: 'connect',
      path: '/',
      reason: `TLS handshake refused: ${err.message}`,
      peer: `${sock.remoteAddress}:${sock.remotePort}`,
    });
  });
  tlsServer.on('connection', (s: net.Socket) => track(s));

  const tlsPort = await listen(tlsServer, host, opts.port ?? policy.listener.port);
  let plainServer: net.Server | undefined;
  let plainPort: number | undefined;
  if (opts.plainPort !== null) {
    plainServer = net.createServer((sock) => {
      track(sock);
      const peer = `${sock.remoteAddress}:${sock.remotePort}`;
      new Session(socketTransport(sock, `9p ${peer}`), {
        transport: 'plain',
        peer,
        maxMsize,
        tree,
        audit,
        access,
        bindAgent: bindPlain,
      });
    });
    try {
      plainPort = await listen(plainServer, host, opts.plainPort ?? 0);
    } catch (e) {
      tlsServer.close();
      throw e;
    }
  }

  return {
    host,
    tlsPort,
    plainPort,
    logs,
    capTokens,
    agentTraceIds,
    tree,
    serveTransport(t, kind, certIdentity) {
      new Session(t, {
        transport: kind,
        certIdentity,
        peer: t.description,
        maxMsize,
        tree,
        audit,
        access,
        traversalEscapes: kind === 'secure9p' && traversalEscapes,
        bindAgent: kind === 'secure9p' ? (id) => bindSecure(id) : bindPlain,
      });
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => tlsServer.close(() => r())),
        plainServer ? new Promise<void>((r) => plainServer.close(() => r())) : Promise.resolve(),
      ]);
    },
  };
}
