// Minimal test PKI for the orchestrator's mutual TLS, made with the openssl CLI.
// Interim: the Secure9P area is writing the shared reference/pki/; once it lands
// on main this file goes and its ensureTestPki / issueClientCert take over.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../harness/process/spawn.ts';

export interface TestPki {
  dir: string;
  caCert: string;
  caKey: string;
  /** server certificate for localhost / 127.0.0.1 */
  serverCert: string;
  serverKey: string;
}

export interface IssuedCert {
  cert: string;
  key: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const r = await runCommand('openssl', args, { timeoutMs: 15_000, cwd });
  if (r.spawnError)
    throw new Error(`openssl is not available (${r.spawnError}); install it (apt-get install openssl)`);
  if (r.exitCode !== 0)
    throw new Error(`openssl ${args[0]} failed in ${cwd}: ${r.stderr.trim() || r.stdout.trim()}`);
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

async function issue(
  pki: Pick<TestPki, 'dir' | 'caCert' | 'caKey'>,
  name: string,
  extensions: string,
): Promise<IssuedCert> {
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) throw new Error(`certificate name "${name}" must be [a-zA-Z0-9._-]+`);
  const key = join(pki.dir, `${name}.key`);
  const cert = join(pki.dir, `${name}.pem`);
  const csr = join(pki.dir, `${name}.csr`);
  const ext = join(pki.dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  await openssl(['req', '-new', ...EC_KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`], pki.dir);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      pki.caCert,
      '-CAkey',
      pki.caKey,
      '-set_serial',
      `0x${randomSerial()}`,
      '-days',
      '2',
      '-out',
      cert,
      '-extfile',
      ext,
    ],
    pki.dir,
  );
  return { cert, key };
}

function randomSerial(): string {
  return Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

/** Create (once) a CA and a server certificate for 127.0.0.1 / localhost under dir. */
export async function ensureTestPki(dir: string): Promise<TestPki> {
  mkdirSync(dir, { recursive: true });
  const pki: TestPki = {
    dir,
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
  };
  if (!existsSync(pki.caCert) || !existsSync(pki.caKey)) {
    await openssl(
      [
        'req',
        '-x509',
        '-new',
        ...EC_KEY,
        '-keyout',
        pki.caKey,
        '-out',
        pki.caCert,
        '-days',
        '2',
        '-subj',
        '/CN=cohesix-qa test CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
  }
  if (!existsSync(pki.serverCert) || !existsSync(pki.serverKey)) {
    await issue(
      pki,
      'server',
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '',
      ].join('\n'),
    );
  }
  return pki;
}

/** Issue a client certificate signed by the PKI's CA; spiffeUri (when given) becomes its URI SAN. */
export async function issueClientCert(
  pki: Pick<TestPki, 'dir' | 'caCert' | 'caKey'>,
  name: string,
  spiffeUri?: string,
): Promise<IssuedCert> {
  if (spiffeUri !== undefined && !/^spiffe:\/\/[^\s,]+$/.test(spiffeUri))
    throw new Error(`"${spiffeUri}" is not a SPIFFE URI`);
  const lines = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth',
  ];
  if (spiffeUri) lines.push(`subjectAltName=URI:${spiffeUri}`);
  return issue(pki, name, lines.join('\n') + '\n');
}
