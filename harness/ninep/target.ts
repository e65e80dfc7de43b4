// Opening a session on "a 9P server" for the conformance and hostile-input checks,
// from its plain-JSON description (contract/ninep/server-config.ts: it comes from
// config or from a target's resources), so any 9P2000 or 9P2000.L server can be
// named, not only the reference one.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { NinepServerConfig } from '../../contract/ninep/server-config.ts';
import type { Endpoint } from '../../contract/ninep/transport.ts';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';

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
