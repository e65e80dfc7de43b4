// How to reach "a 9P server" for the conformance and hostile-input checks:
// plain JSON (it comes from config or from a target's resources), so any 9P2000
// or 9P2000.L server can be named, not only the reference one.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Dialect } from './codec.ts';
import type { Endpoint } from './transport.ts';
import { NinepClient } from './client.ts';
import { NinepFs } from './fs.ts';

export interface NinepServerConfig {
  /** a name for reports, e.g. "reference secure9p" or "lab diod" */
  name: string;
  transport: 'tcp' | 'tls';
  host: string;
  port: number;
  /** TLS material as file paths (PEM) */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string };
  dialect: Dialect;
  uname: string;
  aname?: string;
  /** 9P2000.L n_uname; default: this process's uid */
  nUname?: number;
  /** a directory (from the attach root) the checks may create and remove files in */
  writableDir: string;
  /** bound on every request, ms (default 3000) */
  timeoutMs?: number;
}

export function endpointOf(cfg: NinepServerConfig): Endpoint {
  return {
    transport: cfg.transport,
    host: cfg.host,
    port: cfg.port,
    tls: cfg.tls
      ? {
          ca: cfg.tls.ca ? readFileSync(cfg.tls.ca) : undefined,
          cert: cfg.tls.cert ? readFileSync(cfg.tls.cert) : undefined,
          key: cfg.tls.key ? readFileSync(cfg.tls.key) : undefined,
          servername: cfg.tls.servername,
        }
      : undefined,
  };
}

/** A fresh connection, versioned and attached. */
export async function openSession(cfg: NinepServerConfig, msize = 8192 + 24): Promise<NinepFs> {
  const client = await NinepClient.connect({
    ...endpointOf(cfg),
    dialect: cfg.dialect,
    msize,
    timeoutMs: cfg.timeoutMs ?? 3000,
  });
  try {
    return await NinepFs.attach(client, { uname: cfg.uname, aname: cfg.aname ?? '', nUname: cfg.nUname });
  } catch (e) {
    client.close();
    throw e;
  }
}

/** A unique name for files a check creates. */
export function scratchName(prefix: string): string {
  return `qa-${prefix}-${randomBytes(3).toString('hex')}`;
}
