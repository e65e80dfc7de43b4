// The harness's own view of the target's /srv/alerts: a Secure9P session (mutual TLS,
// contract/ninep) with an identity allowed to write there, used by the suite to seed
// alerts and to see what the uploader left. It never touches a host folder, so it works
// the same against the reference federation and against a user's target.
import { readFileSync } from 'node:fs';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import { NinepRemoteError } from '../../contract/ninep/errors.ts';
import { InfraError } from '../errors.ts';

export interface AlertsEndpoint {
  host: string;
  port: number;
  servername?: string;
  /** PEM files (absolute paths) */
  caCert: string;
  cert: string;
  key: string;
}

export interface AlertsClient {
  readonly endpoint: string;
  /** write each `<agent>/log` (relative to /srv/alerts), creating directories as needed */
  seed(files: Record<string, string>): Promise<void>;
  /** alert files relative to /srv/alerts, sorted */
  list(): Promise<string[]>;
  read(path: string): Promise<string>;
  /** the session's last frames (summaries only), for evidence */
  transcript(last?: number): string;
  close(): void;
}

const ROOT = '/srv/alerts';
const MAX_DEPTH = 8;

function readPem(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InfraError(
      `federation alerts: the ${what} ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'name an existing PEM file in the federation config (relative paths are relative to the config file)',
    );
  }
}

function exists(e: unknown): boolean {
  // Plan 9 servers say "... already exists"; 9P2000.L ones answer errno EEXIST (17)
  return e instanceof NinepRemoteError && (e.errno === 17 || /exist/i.test(e.ename));
}

export function alertsClient(ep: AlertsEndpoint, timeoutMs = 5000): AlertsClient {
  const endpoint = `secure9p tls://${ep.host}:${ep.port}`;
  let session: Promise<{ client: NinepClient; fs: NinepFs }> | undefined;
  // transcripts of earlier sessions of this client, so a reconnect keeps the evidence
  const earlier: string[] = [];
  let current: NinepClient | undefined;

  const fs = async (): Promise<NinepFs> => {
    const s = await (session ??= (async () => {
      const tls = {
        ca: readPem('CA certificate (alertsCaCert)', ep.caCert),
        cert: readPem('client certificate (alertsCert)', ep.cert),
        key: readPem('client key (alertsKey)', ep.key),
        servername: ep.servername,
      };
      let client: NinepClient;
      try {
        client = await NinepClient.connect({
          transport: 'tls',
          host: ep.host,
          port: ep.port,
          tls,
          timeoutMs,
        });
      } catch (e) {
        throw new InfraError(
          `federation alerts: cannot reach ${endpoint}: ${(e as Error).message}`,
          "check alertsHost/alertsPort, and that alertsCert is issued by a CA the server trusts and the server's certificate by alertsCaCert's CA",
        );
      }
      current = client;
      try {
        return { client, fs: await NinepFs.attach(client, { uname: 'cohesix-qa' }) };
      } catch (e) {
        client.close();
        throw new Error(`federation alerts: Tattach to ${endpoint} refused: ${(e as Error).message}`);
      }
    })().catch((e: unknown) => {
      session = undefined;
      throw e;
    }));
    if (s.client.closed) {
      earlier.push(s.client.transcript.text());
      session = undefined;
      return fs();
    }
    return s.fs;
  };

  const mkdirs = async (f: NinepFs, rel: string): Promise<void> => {
    let at = ROOT;
    for (const part of rel.split('/').filter(Boolean)) {
      at = `${at}/${part}`;
      await f.mkdir(at).catch((e: unknown) => {
        if (!exists(e)) throw e;
      });
    }
  };

  return {
    endpoint,
    async seed(files) {
      const f = await fs();
      for (const [path, content] of Object.entries(files)) {
        if (path.startsWith('/') || path.split('/').some((p) => p === '' || p === '.' || p === '..'))
          throw new Error(`alert path ${JSON.stringify(path)} must be relative to /srv/alerts`);
        const dir = path.split('/').slice(0, -1).join('/');
        if (dir) await mkdirs(f, dir);
        await f.writeFile(`${ROOT}/${path}`, content);
      }
    },
    async list() {
      const f = await fs();
      const out: string[] = [];
      const walk = async (rel: string, depth: number): Promise<void> => {
        if (depth > MAX_DEPTH) return;
        for (const e of await f.list(rel ? `${ROOT}/${rel}` : ROOT)) {
          const p = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDir) await walk(p, depth + 1);
          else out.push(p);
        }
      };
      await walk('', 0);
      return out.sort();
    },
    async read(path) {
      return (await (await fs()).readFile(`${ROOT}/${path}`)).toString('utf8');
    },
    transcript(last) {
      const now = current?.transcript.text(last) ?? '';
      return [...earlier.slice(-1), now].filter(Boolean).join('\n(reconnected)\n') || '(no 9P frames yet)';
    },
    close() {
      current?.close();
      session = undefined;
    },
  };
}
