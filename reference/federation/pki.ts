// Certificates for a reference federation, made with the openssl CLI: one federation
// CA, a certificate per queen ("region") and one for the harness's admin client, and a
// separate rogue CA whose queens the federation must not trust. EC P-256 keys, valid
// two days; they live only in the run's state directory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../harness/process/spawn.ts';
import { ReferenceEnvironmentError } from '../errors.ts';

export interface CertPair {
  cert: string;
  key: string;
}

export interface FederationPki {
  caCert: string;
  rogueCaCert: string;
  /** keyed by queen id; rogue queens are signed by the rogue CA */
  queens: Record<string, CertPair>;
  admin: CertPair;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const r = await runCommand('openssl', args, { timeoutMs: 15_000, cwd });
  if (r.spawnError)
    throw new ReferenceEnvironmentError(
      `openssl could not be started (${r.spawnError})`,
      'apt-get install openssl',
    );
  if (r.exitCode !== 0)
    throw new ReferenceEnvironmentError(
      `openssl ${args[0]} failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}): ${r.stderr.split('\n').slice(-3).join(' ')}`,
    );
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];

async function makeCa(dir: string, name: string): Promise<CertPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  await openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      pair.key,
      '-out',
      pair.cert,
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return pair;
}

async function makeLeaf(dir: string, ca: CertPair, name: string, san: string): Promise<CertPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  await openssl(
    [
      'req',
      '-x509',
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      ...EC,
      '-keyout',
      pair.key,
      '-out',
      pair.cert,
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=${san}`,
      '-addext',
      'basicConstraints=CA:FALSE',
      '-addext',
      'extendedKeyUsage=serverAuth,clientAuth',
    ],
    dir,
  );
  return pair;
}

export const queenSan = (id: string) => `DNS:${id},IP:127.0.0.1,URI:spiffe://cohesix/queen/${id}`;

export async function generateFederationPki(
  dir: string,
  trusted: readonly string[],
  rogue: readonly string[],
): Promise<FederationPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const [ca, rogueCa] = await Promise.all([makeCa(dir, 'federation-ca'), makeCa(dir, 'rogue-ca')]);
  const queens: Record<string, CertPair> = {};
  const leaves = await Promise.all([
    ...trusted.map((id) => makeLeaf(dir, ca, id, queenSan(id))),
    ...rogue.map((id) => makeLeaf(dir, rogueCa, id, queenSan(id))),
    makeLeaf(dir, ca, 'cohesix-qa-admin', 'URI:spiffe://cohesix/admin/cohesix-qa'),
  ]);
  [...trusted, ...rogue].forEach((id, i) => (queens[id] = leaves[i]!));
  return { caCert: ca.cert, rogueCaCert: rogueCa.cert, queens, admin: leaves[leaves.length - 1]! };
}
