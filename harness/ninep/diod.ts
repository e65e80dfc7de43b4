// Starts Debian's diod (a 9P2000.L server) on a free loopback port with a
// temporary export directory: the third-party server our client is tested and
// benchmarked against. Started through spawnManaged, stopped (and its export
// removed) by stop().
import net from 'node:net';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnManaged, type ManagedProcess } from '../process/spawn.ts';
import { InfraError } from '../errors.ts';

export const DIOD = '/usr/sbin/diod';

export interface DiodServer {
  host: string;
  port: number;
  /** the exported directory: attach with aname = this path */
  exportDir: string;
  process: ManagedProcess;
  /** what diod printed, for evidence when a test fails */
  output(): string;
  stop(): Promise<void>;
}

/** A port the kernel just handed out on 127.0.0.1 (closed again, so reuse is immediate). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(
  host: string,
  port: number,
  timeoutMs: number,
  proc: ManagedProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt yet';
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited)
      throw new InfraError(`diod exited before listening on ${host}:${port}; it said:\n${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', (e) => {
        last = e.message;
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new InfraError(
    `diod did not listen on ${host}:${port} within ${timeoutMs} ms (last connect: ${last}); it said:\n${output()}`,
  );
}

/** Start diod exporting a fresh temporary directory (or `exportDir` when given). */
export async function startDiod(
  opts: { exportDir?: string; stateRoot?: string; timeoutMs?: number } = {},
): Promise<DiodServer> {
  if (!existsSync(DIOD)) throw new InfraError(`${DIOD} is not installed`, 'apt-get install diod');
  const ownDir = opts.exportDir === undefined;
  const exportDir = opts.exportDir ?? mkdtempSync(join(tmpdir(), 'cohesix-diod-'));
  const host = '127.0.0.1';
  let lastErr: unknown;
  // another process may grab the free port between freePort() and diod's bind: retry a few times
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    // diod raises its own core limit, and a hostile-input check is known to make it abort (see
    // docs/decisions/secure9p.md): run it in a scratch directory removed at stop, so a core file
    // never lands in the project or piles up in /tmp
    const workDir = mkdtempSync(join(tmpdir(), 'cohesix-diod-cwd-'));
    const proc = spawnManaged(DIOD, ['-f', '-n', '-l', `${host}:${port}`, '-e', exportDir, '-L', 'stderr'], {
      label: `diod:${port}`,
      stateRoot: opts.stateRoot,
      cwd: workDir,
    });
    let out = '';
    proc.child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
    proc.child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
    const output = () => out;
    try {
      await waitForPort(host, port, opts.timeoutMs ?? 5000, proc, output);
    } catch (e) {
      lastErr = e;
      await proc.stop();
      rmSync(workDir, { recursive: true, force: true });
      continue;
    }
    return {
      host,
      port,
      exportDir,
      process: proc,
      output,
      async stop() {
        await proc.stop();
        rmSync(workDir, { recursive: true, force: true });
        if (ownDir) rmSync(exportDir, { recursive: true, force: true });
      },
    };
  }
  if (ownDir) rmSync(exportDir, { recursive: true, force: true });
  throw lastErr;
}
