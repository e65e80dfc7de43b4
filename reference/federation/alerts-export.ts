// The federation's /srv/alerts exported through the reference Secure9P server: the
// alerts folder is the server's backing store (grafted into the queen's and the
// uploader's namespaces as a live view), reached only over 9P with mutual TLS. Two
// identities from the test PKI: queen_primary (the queen; the harness seeds alerts as
// it) and trace_uploader (issued here; may read and remove /srv/alerts, nothing else).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readServerPolicy } from '../secure9p/policy-file.ts';
import { ensureTestPki, issueClientCert, spiffeFor, type CertPair } from '../pki/index.ts';
import { mountHostDir } from '../secure9p/host-dir.ts';
import { startSecure9pServer, type Secure9pServer } from '../secure9p/server.ts';
import { DEFAULT_PKI_DIR } from '../secure9p/setup.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ALERTS_POLICY = join(HERE, 'alerts.secure9p.toml');
export const UPLOADER_AGENT = 'trace_uploader';
export const QUEEN_AGENT = 'queen_primary';

export interface AlertsExport {
  server: Secure9pServer;
  host: string;
  port: number;
  caCert: string;
  /** the uploader's identity (agent trace_uploader) */
  uploader: CertPair;
  /** the queen's identity (agent queen_primary): may write /srv, so it seeds alerts */
  queen: CertPair;
  policyFile: string;
}

export async function startAlertsExport(opts: {
  stateDir: string;
  alertsDir: string;
  pkiDir?: string;
  /** a policy file in place of alerts.secure9p.toml (tests) */
  policySource?: string;
  /** agents whose namespaces show /srv/alerts (default: every agent of the policy) */
  agents?: string[];
}): Promise<AlertsExport> {
  const pki = await ensureTestPki(opts.pkiDir ?? DEFAULT_PKI_DIR);
  const uploader = await issueClientCert(pki, UPLOADER_AGENT, spiffeFor(UPLOADER_AGENT));
  const certs = join(opts.stateDir, 'certs');
  mkdirSync(certs, { recursive: true });
  copyFileSync(pki.server.cert, join(certs, 'server.pem'));
  copyFileSync(pki.server.key, join(certs, 'server.key'));
  copyFileSync(pki.ca.cert, join(certs, 'ca.pem'));
  const policyFile = join(opts.stateDir, 'secure9p.toml');
  copyFileSync(opts.policySource ?? ALERTS_POLICY, policyFile);
  const policy = readServerPolicy(policyFile);
  const server = await startSecure9pServer({ policy, stateDir: opts.stateDir, port: 0, plainPort: null });
  try {
    // the queen's /srv/alerts, bound into the other agents' namespaces too (Plan 9 bind);
    // the files belong to the queen whichever namespace shows them
    for (const a of policy.agents.values())
      if (!opts.agents || opts.agents.includes(a.agent))
        mountHostDir(server.tree, `${a.root}/srv/alerts`, opts.alertsDir, QUEEN_AGENT);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server,
    host: server.host,
    port: server.tlsPort,
    caCert: pki.ca.cert,
    uploader,
    queen: pki.agents[QUEEN_AGENT]!,
    policyFile,
  };
}
