// The GUI area's resources, as a reference service returns them or as a user names
// them in config for their own orchestrator:
//   gui: {
//     url: "http://127.0.0.1:8888",
//     credentials?: { user, pass } | credentialsFile?: ".../orch_user.json",
//     grpcAddress: "127.0.0.1:50051", grpcServerName?, caCert, clientCert, clientKey,
//     accessLogPath?: ".../gui_access.log",  // readable by the harness, for rate-limit alerts
//     clientAddresses?: ["10.0.0.5", ...],   // local source addresses for distinct clients
//     liveBoundMs?: 5000,                     // how soon a change must show in status / dashboard
//     browserPath?: "/usr/bin/chromium",     // unset: found by harness/gui/find-browser.ts
//   }
// Flat on purpose: the config loader resolves top-level *File/*Path/*Cert/*Key values
// against the config file's directory. schemas/config-gui.schema.json describes it.
// The client certificate must be a queen identity (it joins test workers and reads state).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { InfraError, UsageError } from '../errors.ts';
import type { BasicCredentials } from './http-client.ts';
import type { TlsMaterial } from './orchestrator-client.ts';

export interface GuiResources {
  url: string;
  credentials?: BasicCredentials;
  credentialsFile?: string;
  grpcAddress: string;
  grpcServerName?: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  accessLogPath?: string;
  clientAddresses?: string[];
  liveBoundMs?: number;
  browserPath?: string;
  dashboard?: boolean;
}

export interface GuiTargetConfig {
  url: string;
  credentials: BasicCredentials;
  grpcAddress: string;
  grpcServerName?: string;
  tls: Required<TlsMaterial>;
  accessLog?: string;
  /** undefined: derive distinct 127.x.y.z sources (loopback targets) */
  clientAddresses?: string[];
  loopback: boolean;
  liveBoundMs: number;
  /** gui.browserPath; undefined: found by find-browser.ts */
  browserPath?: string;
  /** false: the dashboard offers none of the DOM hooks the browser checks drive; they are skipped */
  dashboard: boolean;
  /** strings that must never reach a report: the password and the Basic header value */
  secrets: string[];
}

function place(field: string): string {
  return `target resources "gui.${field}"`;
}

function requireString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '')
    throw new UsageError(`${place(field)} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function readPem(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InfraError(
      `cannot read ${place(field)} at ${path}: ${(e as Error).message}`,
      `point gui.${field} at a PEM file the harness can read`,
    );
  }
}

export function resolveGuiTarget(raw: unknown): GuiTargetConfig {
  if (!raw || typeof raw !== 'object')
    throw new UsageError('target resources "gui" must be an object with url, credentials and grpc');
  const r = raw as Partial<GuiResources>;
  const url = requireString(r.url, 'url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${place('url')} "${url}" is not a URL; expected e.g. http://127.0.0.1:8888`);
  }
  let credentials = r.credentials;
  if (!credentials && r.credentialsFile) {
    try {
      credentials = JSON.parse(readFileSync(r.credentialsFile, 'utf8')) as BasicCredentials;
    } catch (e) {
      throw new InfraError(
        `cannot read ${place('credentialsFile')} ${r.credentialsFile}: ${(e as Error).message}`,
        "point it at the orchestrator's orch_user.json",
      );
    }
  }
  if (!credentials || typeof credentials.user !== 'string' || typeof credentials.pass !== 'string') {
    throw new UsageError(
      `${place('credentials')} must be {"user": ..., "pass": ...} (or give gui.credentialsFile)`,
    );
  }
  const grpcAddress = requireString(r.grpcAddress, 'grpcAddress');
  const tls = {
    ca: readPem(requireString(r.caCert, 'caCert'), 'caCert'),
    cert: readPem(requireString(r.clientCert, 'clientCert'), 'clientCert'),
    key: readPem(requireString(r.clientKey, 'clientKey'), 'clientKey'),
  };
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.'));
  if (
    r.clientAddresses !== undefined &&
    (!Array.isArray(r.clientAddresses) || r.clientAddresses.some((a) => typeof a !== 'string' || !isIP(a)))
  ) {
    throw new UsageError(`${place('clientAddresses')} must be a list of IP addresses this host owns`);
  }
  const basic = Buffer.from(`${credentials.user}:${credentials.pass}`).toString('base64');
  return {
    url: url.replace(/\/+$/, ''),
    credentials,
    grpcAddress,
    grpcServerName: r.grpcServerName,
    tls,
    accessLog: r.accessLogPath,
    clientAddresses: r.clientAddresses,
    loopback,
    liveBoundMs: typeof r.liveBoundMs === 'number' && r.liveBoundMs > 0 ? r.liveBoundMs : 5000,
    browserPath: r.browserPath,
    dashboard: r.dashboard !== false,
    secrets: [credentials.pass, basic],
  };
}

/**
 * Source addresses for distinct clients. On loopback every 127.0.0.0/8 address is
 * ours, so each client gets a random one (a rerun within the minute never reuses a
 * drained bucket); elsewhere the configured list is used in turn.
 */
export function clientAddressAllocator(cfg: GuiTargetConfig): () => string | undefined {
  if (cfg.clientAddresses && cfg.clientAddresses.length > 0) {
    let i = 0;
    const list = cfg.clientAddresses;
    return () => list[i++ % list.length];
  }
  if (!cfg.loopback) return () => undefined;
  const used = new Set<string>();
  return () => {
    for (;;) {
      const b = () => 1 + Math.floor(Math.random() * 254);
      const a = `127.${b()}.${b()}.${b()}`;
      if (!used.has(a)) {
        used.add(a);
        return a;
      }
    }
  };
}
