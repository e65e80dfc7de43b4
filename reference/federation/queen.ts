// One reference queen ("region") as its own process: a mutual-TLS server with the
// region's own certificate, answering hello, policy and handshake requests
// (contract/federation/queen-protocol.ts). Started by service.ts with one argument, the
// path of its JSON config; prints `QUEEN_READY <port>` once it listens.
import { createServer, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AdminRules } from '../../contract/federation/policy-types.ts';
import type {
  HandshakeResponse,
  HelloResponse,
  QueenRequest,
} from '../../contract/federation/queen-protocol.ts';
import { resolveForQueen, type PolicyDefect } from './policy.ts';
import { greetPeer } from './peer-hello.ts';

export interface QueenConfig {
  queen_id: string;
  region: string;
  roles: string[];
  parent?: string;
  cert: string;
  key: string;
  /** the CA this queen trusts for peers and clients */
  ca: string;
  federationDir: string;
  adminRulesPath: string;
  defect?: string;
}

function answer(cfg: QueenConfig, req: QueenRequest): Promise<unknown> | unknown {
  const hello: HelloResponse = {
    queen_id: cfg.queen_id,
    region: cfg.region,
    roles: cfg.roles,
    parent: cfg.parent,
  };
  switch (req.op) {
    case 'hello':
      return hello;
    case 'policy': {
      const admin = JSON.parse(readFileSync(cfg.adminRulesPath, 'utf8')) as AdminRules;
      const defect = (
        ['federation-order-dependent', 'federation-time-beats-admin'].includes(cfg.defect ?? '')
          ? cfg.defect
          : undefined
      ) as PolicyDefect;
      return resolveForQueen(cfg.queen_id, cfg.federationDir, admin.rules, defect);
    }
    case 'handshake':
      return greetPeer(req.peer, { ca: cfg.ca, cert: cfg.cert, key: cfg.key }, 2500).then(
        (peer): HandshakeResponse =>
          peer.queen_id === req.peer.queen_id
            ? { ok: true, peer }
            : {
                ok: false,
                error: `queen at ${req.peer.host}:${req.peer.port} says it is ${peer.queen_id}, expected ${req.peer.queen_id}`,
              },
        (e: Error): HandshakeResponse => ({ ok: false, error: e.message }),
      );
    default:
      return {
        error: `unknown op ${JSON.stringify((req as { op?: unknown }).op)}; expected hello, policy or handshake`,
      };
  }
}

function serve(cfg: QueenConfig): void {
  const server = createServer(
    {
      cert: readFileSync(cfg.cert),
      key: readFileSync(cfg.key),
      ca: readFileSync(cfg.ca),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (sock: TLSSocket) => {
      sock.setEncoding('utf8');
      let buf = '';
      const idle = setTimeout(() => sock.destroy(), 5000);
      sock.on('data', (chunk: string) => {
        buf += chunk;
        if (buf.length > 65536) return sock.destroy();
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        let req: QueenRequest;
        try {
          req = JSON.parse(buf.slice(0, nl)) as QueenRequest;
        } catch {
          sock.end(`${JSON.stringify({ error: 'request is not a JSON line' })}\n`);
          return;
        }
        Promise.resolve()
          .then(() => answer(cfg, req))
          .then(
            (res) => sock.end(`${JSON.stringify(res)}\n`),
            (e: Error) => sock.end(`${JSON.stringify({ error: e.message })}\n`),
          )
          .finally(() => clearTimeout(idle));
      });
      sock.on('error', () => sock.destroy());
      sock.on('close', () => clearTimeout(idle));
    },
  );
  // a client whose certificate the CA does not vouch for fails here; nothing to do but drop it
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`QUEEN_READY ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const configPath = process.argv[2];
if (!configPath) {
  process.stderr.write('usage: queen.ts <config.json>\n');
  process.exit(2);
}
serve(JSON.parse(readFileSync(configPath, 'utf8')) as QueenConfig);
