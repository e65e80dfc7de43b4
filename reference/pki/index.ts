// Test PKI for the reference target: made with the openssl CLI at set-up, once
// per state directory, never committed (reference/pki/generated/ is gitignored).
//
// STABLE API (other areas use it, e.g. the GUI area for gRPC mTLS):
//   ensureTestPki(dir)                      -> Promise<TestPki>
//       Creates, idempotently and safely when several processes race, under
//       `<dir>/pki-v1/`:
//         ca          test CA (signs everything below)
//         otherCa     a second, unrelated CA
//         server      server cert, CN=cohesix-reference, SAN DNS:localhost, IP:127.0.0.1
//         agents      one client cert per example agent (queen_primary, drone_worker,
//                     glasses_agent, simulator_test): CN=<agent>,
//                     SAN URI:spiffe://cohesix/role/<agent>, EKU clientAuth
//         expired     client cert for drone_worker signed by the test CA, already expired
//         foreign     client cert for queen_primary signed by otherCa
//       Every entry is { cert, key } of absolute PEM file paths (CA: also { cert, key }).
//   issueClientCert(pki, name, spiffeUri)   -> Promise<CertPair>
//       An extra client cert (CN=<name>, SAN URI:<spiffeUri>) from the test CA, under
//       `<dir>/pki-v1/extra/<name>/`; idempotent for the same name and URI.
//   issuePeerCert(pki, name)                -> Promise<CertPair>
//       A certificate for a node that is both TLS server and client (the reference
//       queens): CN=<name>, SAN DNS:localhost, IP:127.0.0.1, EKU serverAuth + clientAuth,
//       under `<dir>/pki-v1/extra/peer-<name>/`; idempotent.
//   SHARED_PKI_DIR                          the default `dir`: reference/pki/generated
// Keys are EC P-256, files mode 0600. Nothing here is a secret outside tests.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { runCommand } from '../../harness/process/spawn.ts';
import { ReferenceEnvironmentError } from '../errors.ts';

export interface CertPair {
  /** absolute path of the PEM certificate */
  cert: string;
  /** absolute path of the PEM private key */
  key: string;
}

export interface TestPki {
  /** the folder holding everything below */
  dir: string;
  ca: CertPair;
  otherCa: CertPair;
  server: CertPair;
  /** keyed by agent name */
  agents: Record<string, CertPair>;
  expired: CertPair;
  foreign: CertPair;
}

/** The default location of the shared test PKI (gitignored, shared by runs). */
export const SHARED_PKI_DIR = fileURLToPath(new URL('./generated', import.meta.url));

export const EXAMPLE_AGENTS = ['queen_primary', 'drone_worker', 'glasses_agent', 'simulator_test'] as const;
export const spiffeFor = (agent: string): string => `spiffe://cohesix/role/${agent}`;

const LAYOUT = 'pki-v1';
const MANIFEST = 'pki.json';
const OPENSSL = 'openssl';

async function openssl(args: string[], cwd: string): Promise<void> {
  const r = await runCommand(OPENSSL, args, { cwd, timeoutMs: 30_000 });
  if (r.spawnError)
    throw new ReferenceEnvironmentError(
      `openssl could not be started (${r.spawnError})`,
      'apt-get install openssl',
    );
  if (r.exitCode !== 0) {
    throw new ReferenceEnvironmentError(
      `openssl ${args[0]} failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}): ${r.stderr.split('\n').slice(-5).join(' | ')}`,
    );
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string, cn: string): Promise<CertPair> {
  const ext = join(dir, `${name}.ext`);
  writeFileSync(
    ext,
    '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n',
  );
  await openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '3650',
      '-subj',
      `/CN=${cn}`,
      '-config',
      ext,
      '-extensions',
      'v3',
    ],
    dir,
  );
  chmodSync(join(dir, `${name}.key`), 0o600);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

async function makeLeaf(
  dir: string,
  name: string,
  cn: string,
  ca: CertPair,
  ext: { san: string; eku: 'clientAuth' | 'serverAuth' | 'serverAuth,clientAuth'; days: number },
): Promise<CertPair> {
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(
    extFile,
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${ext.eku}\nsubjectAltName=${ext.san}\n`,
  );
  await openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
  const serial = '0x' + randomBytes(8).toString('hex');
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-set_serial',
      serial,
      '-days',
      String(ext.days),
      '-out',
      `${name}.pem`,
      '-extfile',
      extFile,
    ],
    dir,
  );
  chmodSync(join(dir, `${name}.key`), 0o600);
  rmSync(join(dir, `${name}.csr`), { force: true });
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

/** Move a freshly built folder into place; if another process won the race, keep theirs. */
function publish(tmp: string, final: string): void {
  try {
    renameSync(tmp, final);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    rmSync(tmp, { recursive: true, force: true });
    if (!(code === 'ENOTEMPTY' || code === 'EEXIST') || !existsSync(join(final, MANIFEST))) throw e;
  }
}

function readManifest(root: string): TestPki | undefined {
  const file = join(root, MANIFEST);
  if (!existsSync(file)) return undefined;
  const pki = JSON.parse(readFileSync(file, 'utf8')) as TestPki;
  const pairs = [pki.ca, pki.otherCa, pki.server, pki.expired, pki.foreign, ...Object.values(pki.agents)];
  return pairs.every((p) => existsSync(p.cert) && existsSync(p.key)) ? pki : undefined;
}

/** Create (once) and return the test PKI under `<dir>/pki-v1/`. */
export async function ensureTestPki(dir: string): Promise<TestPki> {
  const root = join(resolve(dir), LAYOUT);
  const existing = readManifest(root);
  if (existing) return existing;
  mkdirSync(resolve(dir), { recursive: true });
  if (existsSync(root) && !readManifest(root)) rmSync(root, { recursive: true, force: true }); // an incomplete earlier attempt
  const raced = readManifest(root);
  if (raced) return raced;
  const tmp = join(resolve(dir), `.${LAYOUT}.${process.pid}.${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp, { recursive: true });
  try {
    // paths in the manifest point at the final location
    const fin = (p: CertPair): CertPair => ({
      cert: p.cert.replace(tmp, root),
      key: p.key.replace(tmp, root),
    });
    const ca = await makeCa(tmp, 'ca', 'Cohesix QA Test CA');
    const otherCa = await makeCa(tmp, 'other-ca', 'Unrelated QA CA');
    const server = await makeLeaf(tmp, 'server', 'cohesix-reference', ca, {
      san: 'DNS:localhost,IP:127.0.0.1',
      eku: 'serverAuth',
      days: 825,
    });
    const agents: Record<string, CertPair> = {};
    for (const a of EXAMPLE_AGENTS)
      agents[a] = fin(
        await makeLeaf(tmp, `agent-${a}`, a, ca, {
          san: `URI:${spiffeFor(a)}`,
          eku: 'clientAuth',
          days: 825,
        }),
      );
    const expired = await makeLeaf(tmp, 'expired-drone_worker', 'drone_worker', ca, {
      san: `URI:${spiffeFor('drone_worker')}`,
      eku: 'clientAuth',
      days: -1,
    });
    const foreign = await makeLeaf(tmp, 'foreign-queen_primary', 'queen_primary', otherCa, {
      san: `URI:${spiffeFor('queen_primary')}`,
      eku: 'clientAuth',
      days: 825,
    });
    const pki: TestPki = {
      dir: root,
      ca: fin(ca),
      otherCa: fin(otherCa),
      server: fin(server),
      agents,
      expired: fin(expired),
      foreign: fin(foreign),
    };
    writeFileSync(join(tmp, MANIFEST), JSON.stringify(pki, null, 2));
    publish(tmp, root);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const made = readManifest(root);
  if (!made) throw new ReferenceEnvironmentError(`test PKI under ${root} is incomplete after creation`);
  return made;
}

/** An extra client certificate from the test CA: CN=name, SAN URI=spiffeUri. Idempotent. */
export async function issueClientCert(pki: TestPki, name: string, spiffeUri: string): Promise<CertPair> {
  if (!/^spiffe:\/\/[^\s,]+$/.test(spiffeUri))
    throw new ReferenceEnvironmentError(`${JSON.stringify(spiffeUri)} is not a spiffe:// URI`);
  return issueExtra(pki, name, name, { san: `URI:${spiffeUri}`, eku: 'clientAuth' });
}

/** A server + client certificate for a node on 127.0.0.1 (CN=name). Idempotent. */
export async function issuePeerCert(pki: TestPki, name: string): Promise<CertPair> {
  return issueExtra(pki, `peer-${name}`, name, {
    san: 'DNS:localhost,IP:127.0.0.1',
    eku: 'serverAuth,clientAuth',
  });
}

/** A leaf from the test CA under extra/<folder>/, made once; the SAN it was made with is kept beside it. */
async function issueExtra(
  pki: TestPki,
  folder: string,
  cn: string,
  ext: { san: string; eku: 'clientAuth' | 'serverAuth,clientAuth' },
): Promise<CertPair> {
  for (const [what, v] of [
    ['client cert name', folder],
    ['common name', cn],
  ] as const)
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(v))
      throw new ReferenceEnvironmentError(`${what} ${JSON.stringify(v)} must match [A-Za-z0-9_.-]{1,64}`);
  const final = join(pki.dir, 'extra', folder);
  const pair = { cert: join(final, 'client.pem'), key: join(final, 'client.key') };
  // the marker file keeps its historical name: the URI for client certs, the SAN for peers
  const marker = ext.eku === 'clientAuth' ? ext.san.replace(/^URI:/, '') : ext.san;
  const markerFile = join(final, 'uri');
  if (existsSync(pair.cert) && existsSync(pair.key) && existsSync(markerFile)) {
    const had = readFileSync(markerFile, 'utf8');
    if (had === marker) return pair;
    throw new ReferenceEnvironmentError(
      `client cert "${folder}" already exists with ${had}, not ${marker}`,
      'use another name',
    );
  }
  const tmp = join(pki.dir, 'extra', `.${folder}.${process.pid}.${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp, { recursive: true });
  try {
    await makeLeaf(tmp, 'client', cn, pki.ca, { san: ext.san, eku: ext.eku, days: 825 });
    writeFileSync(join(tmp, 'uri'), marker);
    writeFileSync(join(tmp, MANIFEST), '{}');
    publish(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return pair;
}
