// Certificates for the queens' mutual TLS, made with the openssl CLI: one CA for
// the run, one certificate per queen (CN = queen id) and one for the controller
// (CN = controller). The CN is the identity a queen checks on every message.
// Everything lives in the given (gitignored, per-run) state dir; keys never leave it.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../harness/process/spawn.ts';
import { InfraError } from '../../harness/errors.ts';
import type { TlsMaterial } from '../../harness/trace/tls-jsonl.ts';

async function openssl(args: string[], cwd: string): Promise<void> {
  const r = await runCommand('openssl', args, { timeoutMs: 20_000, cwd });
  if (r.spawnError) throw new InfraError(`openssl not found (${r.spawnError})`, 'apt-get install openssl');
  if (r.exitCode !== 0)
    throw new InfraError(`openssl ${args[0]} failed (exit ${r.exitCode}): ${r.stderr.slice(-400)}`);
}

export interface Pki {
  dir: string;
  material(name: string): TlsMaterial;
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Create (or reuse) a CA and a certificate for each name in `dir`. */
export async function makePki(dir: string, names: readonly string[]): Promise<Pki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(join(dir, 'ca.crt'))) {
    await openssl(
      [
        'req',
        '-x509',
        ...KEY,
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '2',
        '-subj',
        '/CN=cohesix-qa trace CA',
      ],
      dir,
    );
  }
  await Promise.all(
    names.map(async (name) => {
      if (existsSync(join(dir, `${name}.crt`))) return;
      await openssl(
        [
          'req',
          ...KEY,
          '-keyout',
          `${name}.key`,
          '-out',
          `${name}.csr`,
          '-subj',
          `/CN=${name}`,
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
        ],
        dir,
      );
      await openssl(
        [
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-set_serial',
          `0x${Buffer.from(name).toString('hex')}`,
          '-days',
          '2',
          '-copy_extensions',
          'copy',
          '-out',
          `${name}.crt`,
        ],
        dir,
      );
    }),
  );
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  return {
    dir,
    material: (name) => ({
      ca,
      cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
      key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    }),
  };
}
