// The uploader's mount: one Secure9P session (9P2000 over mutual TLS) opened with
// contract/ninep's client for one round, the way a serverless invocation would mount the
// namespace, and detached after it. The identity is the client certificate; the server
// maps it to an agent and that agent's policy decides what may be read and removed.
import { readFileSync } from 'node:fs';
import { NinepClient } from '../../../contract/ninep/client.ts';
import { NinepFs } from '../../../contract/ninep/fs.ts';
import type { AlertNamespace } from './namespace.ts';
import { remoteAlertNamespace } from './remote-namespace.ts';

/** Where the namespace is and who the uploader is. PEM files as absolute paths. */
export interface AlertsMountConfig {
  host: string;
  port: number;
  /** name to check the server certificate against (default: the host; an IP is checked against IP SANs) */
  servername?: string;
  /** CA that issued the server's certificate */
  caCert: string;
  /** the uploader's client certificate and key (mutual TLS) */
  cert: string;
  key: string;
  /** where /srv/alerts is in the attached namespace (default /srv/alerts) */
  alertsRoot?: string;
  /** bound on connecting and on every 9P request, ms (default 5000) */
  timeoutMs?: number;
}

export interface MountedAlerts {
  ns: AlertNamespace;
  /** e.g. "secure9p tls://127.0.0.1:40123" */
  endpoint: string;
  /** the last `last` frames of the session (summaries, never file bytes) */
  transcript(last?: number): string;
  /** put an uploader step into the transcript, between the frames it came between */
  note(line: string): void;
  /** clunk the root and close the connection; never throws */
  close(): Promise<void>;
}

/** A mount that failed, with what the session saw before it failed. */
export class MountError extends Error {
  override name = 'MountError';
  constructor(
    message: string,
    readonly transcript: string,
  ) {
    super(message);
  }
}

function pem(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new MountError(
      `the uploader's ${what} ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix: name an existing PEM file`,
      '',
    );
  }
}

export async function mountAlerts(cfg: AlertsMountConfig): Promise<MountedAlerts> {
  const endpoint = `tls://${cfg.host}:${cfg.port}`;
  const timeoutMs = cfg.timeoutMs ?? 5000;
  const tls = {
    ca: pem('CA certificate', cfg.caCert),
    cert: pem('client certificate', cfg.cert),
    key: pem('client key', cfg.key),
    servername: cfg.servername,
  };
  let client: NinepClient;
  try {
    client = await NinepClient.connect({
      transport: 'tls',
      host: cfg.host,
      port: cfg.port,
      tls,
      dialect: '9P2000',
      msize: 65536 + 24,
      timeoutMs,
    });
  } catch (e) {
    throw new MountError(
      `the uploader could not mount the namespace at secure9p ${endpoint}: ${(e as Error).message}` +
        ' (under TLS 1.3 a refused client certificate often shows only as a closed connection)',
      '',
    );
  }
  let fs: NinepFs;
  try {
    // over Secure9P the identity is the certificate; the uname is informational
    fs = await NinepFs.attach(client, { uname: 'trace_uploader', aname: '' });
  } catch (e) {
    const t = client.transcript.text(20);
    client.close();
    throw new MountError(`the uploader's Tattach to secure9p ${endpoint} failed: ${(e as Error).message}`, t);
  }
  return {
    ns: remoteAlertNamespace(fs, cfg.alertsRoot ?? '/srv/alerts', {
      describe: `secure9p ${endpoint}`,
      connectionLost: () => client.closed,
    }),
    endpoint: `secure9p ${endpoint}`,
    transcript: (last) => client.transcript.text(last),
    note: (line) => client.transcript.add('!', `uploader: ${line}`),
    async close() {
      if (!client.closed) await fs.detach({ timeoutMs: 1000 }).catch(() => undefined);
      client.close();
    },
  };
}
