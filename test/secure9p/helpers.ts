// Connecting to a reference Secure9P server as an agent, for the project's tests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startReferenceSecure9p, type ReferenceSecure9p } from '../../reference/secure9p/setup.ts';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import type { CertPair, TestPki } from '../../reference/pki/index.ts';
import type { Secure9pServer } from '../../reference/secure9p/server.ts';

export async function tlsClient(
  server: Secure9pServer,
  pki: TestPki,
  cert: CertPair | undefined,
  timeoutMs = 3000,
): Promise<NinepClient> {
  return NinepClient.connect({
    transport: 'tls',
    host: server.host,
    port: server.tlsPort,
    tls: {
      ca: readFileSync(pki.ca.cert),
      cert: cert ? readFileSync(cert.cert) : undefined,
      key: cert ? readFileSync(cert.key) : undefined,
    },
    msize: 8192 + 24,
    timeoutMs,
  });
}

export async function attachAs(server: Secure9pServer, pki: TestPki, agent: string): Promise<NinepFs> {
  const c = await tlsClient(server, pki, pki.agents[agent]);
  return NinepFs.attach(c, { uname: agent });
}

export async function plainAttach(server: Secure9pServer, uname: string, aname = ''): Promise<NinepFs> {
  const c = await NinepClient.connect({
    transport: 'tcp',
    host: server.host,
    port: server.plainPort!,
    msize: 8192 + 24,
    timeoutMs: 3000,
  });
  return NinepFs.attach(c, { uname, aname });
}

export function logLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const TRACE_ID = /\[trace_id=([0-9a-f]{8})\]/;

/**
 * A reference Secure9P server for one test file, in a fresh state folder: started before
 * the file's tests, stopped and its folder removed after them. Returns a getter.
 */
export function referenceServerPerFile(prefix: string): () => ReferenceSecure9p {
  let ref: ReferenceSecure9p | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    ref = await startReferenceSecure9p({ stateDir: dir });
  }, 60_000);
  afterAll(async () => {
    await ref?.server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => ref!;
}
