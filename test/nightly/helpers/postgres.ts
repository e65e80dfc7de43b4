// A throwaway PostgreSQL cluster for the history tests: initdb in a temp dir, the
// server on a free port (socket in the same dir), started through spawnManaged so it
// dies with the test process, and stopped in afterAll. As root, initdb and postgres
// refuse to run, so they run as the `postgres` user through runuser.
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCommand, spawnManaged, type ManagedProcess } from '../../../harness/process/spawn.ts';

export interface Cluster {
  url: string;
  stop(): Promise<void>;
}

/** Where the PostgreSQL binaries are, or why not (a reason the test prints loudly). */
export function postgresBin(): { bin?: string; missing?: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return { bin };
  }
  return {
    missing:
      'INFRASTRUCTURE: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install the apt package postgresql (scripts/setup.sh lists it)',
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startCluster(bin: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cqa-pg-'));
  const asRoot = process.getuid?.() === 0;
  const as = (file: string, args: string[]) =>
    asRoot ? (['runuser', ['-u', 'postgres', '--', file, ...args]] as const) : ([file, args] as const);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const [initCmd, initArgs] = as(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'qa',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const init = await runCommand(initCmd, initArgs, { timeoutMs: 120_000 });
  if (init.exitCode !== 0)
    throw new Error(`initdb failed (exit ${init.exitCode}): ${init.stderr || init.stdout}`);
  const port = await freePort();
  const [pgCmd, pgArgs] = as(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'log_min_messages=warning',
  ]);
  const server: ManagedProcess = spawnManaged(pgCmd, pgArgs, { label: 'postgres:history-test' });
  let stderr = '';
  server.child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const deadline = Date.now() + 60_000;
  let last = '';
  for (;;) {
    const r = await runCommand(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
      timeoutMs: 5000,
    });
    if (r.exitCode === 0) break;
    last = r.stdout || r.stderr;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(
        `PostgreSQL on port ${port} not ready after 60 s; pg_isready said: ${last}; server said: ${stderr}`,
      );
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  return {
    url: `postgres://qa@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(5000),
  };
}
