// The reference release console started in process for the console tests,
// closed after each test with every client a test opened.
import { afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { CohshClient, type CohshOptions } from '../../harness/cohsh/client.ts';
import { ReleaseConsoleServer, type ConsoleServerOptions } from '../../reference/release/console-server.ts';
import { ReleaseNamespace } from '../../reference/release/namespace.ts';

export const secret = randomBytes(32);
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

/** run `f` after the current test */
export function later(f: () => unknown): void {
  cleanup.push(f);
}

export function namespace(): ReleaseNamespace {
  return new ReleaseNamespace(
    {
      release: 'r',
      profile: 'release',
      target: 'aarch64-virt',
      gic_version: '2',
      manifest_sha256: 'a'.repeat(64),
      binaries: '4',
      console: 'tcp:31337',
    },
    ['w1', 'w2'],
  );
}

export async function serve(o: Partial<ConsoleServerOptions> = {}): Promise<ReleaseConsoleServer> {
  const s = new ReleaseConsoleServer({
    token: 'changeme',
    ticketSecret: secret,
    namespace: namespace(),
    ...o,
  });
  await s.listen();
  later(() => s.close());
  return s;
}

export async function connect(s: ReleaseConsoleServer, opts: CohshOptions = {}): Promise<CohshClient> {
  const c = await CohshClient.connect('127.0.0.1', s.port, { timeoutMs: 2000, ...opts });
  later(() => c.close());
  return c;
}

/** a failure the promise must end in, as a value */
export async function errOf(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );
}
