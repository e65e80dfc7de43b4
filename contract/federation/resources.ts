// The JSON resources of the federation area: what a target (the reference target or a
// user's deployment described in config) gives the federation fixtures — the service
// interface between the two sides, so both may name it. Endpoints and PEM file paths
// only: how the checker drives them is harness/federation/driver.ts.
import type { QueenEndpoint } from './queen-protocol.ts';

/** A mutual-TLS identity as PEM file paths. */
export interface TlsIdentity {
  /** PEM file of the CA trusted for peers */
  ca: string;
  cert: string;
  key: string;
}

/** The shape reference/federation/service.ts publishes (and a real deployment can describe in config). */
export interface FederationTargetResources {
  queens: Array<QueenEndpoint & { region: string }>;
  untrusted: Array<QueenEndpoint & { region: string }>;
  tls: TlsIdentity;
  federationDir: string;
  adminRulesPath: string;
  /** the Secure9P endpoint whose namespace holds /srv/alerts */
  alertsHost: string;
  alertsPort: number;
  /** name the server certificate is checked against (default: the host) */
  alertsServerName?: string;
  /** PEM: the CA that issued the Secure9P server's certificate */
  alertsCaCert: string;
  /** PEM: the harness's identity there, allowed to write /srv/alerts (it seeds alerts) */
  alertsCert: string;
  alertsKey: string;
  /** the trace uploader's invoke endpoint (POST /invoke); without it the harness runs the
   * reference uploader itself with the uploaderCert/uploaderKey identity */
  uploaderUrl?: string;
  /** PEM: the uploader's identity, allowed to read and remove /srv/alerts */
  uploaderCert?: string;
  uploaderKey?: string;
  deployDir: string;
  deployDefectsDir: string;
}
