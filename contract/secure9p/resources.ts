// The JSON resources of the secure9p area: what a target (the reference target or a
// user's) gives the Secure9P fixtures — the service interface between the two sides,
// so both may name it. Endpoints and file paths only: how the checker drives them is
// harness/secure9p/driver.ts, how the reference serves them is reference/secure9p/.
import type { NinepServerConfig } from '../ninep/server-config.ts';

export interface CertFiles {
  cert: string;
  key: string;
}

/** What a target offers the Secure9P suite (JSON; from a reference service or from config). */
export interface Secure9pResources {
  /** the Secure9P (TLS) listener */
  secure: { host: string; port: number; caCert: string; servername?: string };
  /** the plain 9P listener, when there is one */
  plain?: { host: string; port: number };
  /** a client certificate per example agent */
  agents: Record<string, CertFiles>;
  /** certificates the server must refuse */
  refused: { foreign: CertFiles; expired: CertFiles };
  /** where the logs are: a host file when the target exposes one, and the namespace path */
  logs: Record<'secure9p' | 'plain' | 'trace', { file?: string; nsPath: string }>;
  /** agent used to read logs through the namespace when there is no host file */
  logReader: string;
  policy: {
    /** the policy the target runs, when known */
    active?: string;
    /** example policies that must validate (checked without their certificate files) */
    examples: string[];
    /** malformed policies and, for each, a fragment its error must contain */
    malformed: Array<{ file: string; expect: string }>;
  };
  /** the 9P server the conformance and hostile-input groups run against */
  conformance: NinepServerConfig;
  /** per-test request bound, ms */
  timeoutMs?: number;
}
