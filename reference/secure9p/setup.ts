// Brings up a reference Secure9P server the way a deployment would: the
// example policy copied into a state directory next to a certs/ folder made
// from the test PKI (so its relative paths resolve against the file), loaded
// and validated, then served. Used by the reference service and by tests.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readServerPolicy, type ServerPolicy } from './policy-file.ts';
import { ensureTestPki, type TestPki } from '../pki/index.ts';
import { startSecure9pServer, type Secure9pServer, type Secure9pServerOptions } from './server.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const POLICY_DIR = join(HERE, 'policies');
export const EXAMPLE_POLICY = join(POLICY_DIR, 'example.secure9p.toml');
export const MALFORMED_DIR = join(POLICY_DIR, 'malformed');
/** default PKI location: gitignored, shared by runs (creation is idempotent) */
export const DEFAULT_PKI_DIR = resolve(HERE, '../pki/generated');

export interface ReferenceSecure9p {
  server: Secure9pServer;
  policy: ServerPolicy;
  policyFile: string;
  pki: TestPki;
  /** 0600 JSON file with each agent's plain-9P capability token (never put tokens in resources or logs) */
  capTokenFile: string;
}

export async function startReferenceSecure9p(opts: {
  stateDir: string;
  pkiDir?: string;
  /** the defect modes in force (reference/secure9p/defects.ts) */
  defects?: ReadonlySet<string>;
  policySource?: string;
  port?: number;
  liveTrace?: Secure9pServerOptions['liveTrace'];
}): Promise<ReferenceSecure9p> {
  const pki = await ensureTestPki(opts.pkiDir ?? DEFAULT_PKI_DIR);
  const certs = join(opts.stateDir, 'certs');
  mkdirSync(certs, { recursive: true });
  copyFileSync(pki.server.cert, join(certs, 'server.pem'));
  copyFileSync(pki.server.key, join(certs, 'server.key'));
  copyFileSync(pki.ca.cert, join(certs, 'ca.pem'));
  const policyFile = join(opts.stateDir, 'secure9p.toml');
  copyFileSync(opts.policySource ?? EXAMPLE_POLICY, policyFile);
  const policy = readServerPolicy(policyFile);
  const server = await startSecure9pServer({
    policy,
    stateDir: opts.stateDir,
    defects: opts.defects,
    port: opts.port ?? 0,
    plainPort: 0,
    liveTrace: opts.liveTrace,
  });
  const capTokenFile = join(opts.stateDir, 'cap-tokens.json');
  writeFileSync(capTokenFile, JSON.stringify(server.capTokens), { mode: 0o600 });
  return { server, policy, policyFile, pki, capTokenFile };
}
