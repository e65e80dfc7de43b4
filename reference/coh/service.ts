// The coh area of the reference target: the reference release console
// emulation (reference/release/console-server.ts, one session at a time with
// its re-arm delay) on its own port, without booting a bundle — `.coh`
// scripts only need the console — and the project's own pack
// (reference/coh/pack/), named as the default scripts (the checker selects them). Console defects whose case is
// a coh script (reference/release/proc-tests/DEFECTS.md) are applied here.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import { ReleaseConsoleServer } from '../release/console-server.ts';
import { ReleaseNamespace } from '../release/namespace.ts';
import { REFERENCE_RELEASE } from '../release/bundle.ts';
import { mintTicket } from '../release/tickets.ts';
import { consoleDefectsFor } from '../release/defects.ts';

export const COH_PACK_DIR = join(dirname(fileURLToPath(import.meta.url)), 'pack');

export const cohService: ReferenceService = {
  area: 'coh',
  async start(ctx: ServiceContext): Promise<StartedService> {
    const token = 'changeme';
    const ticketSecret = randomBytes(32);
    const workerId = 'worker-1';
    const namespace = new ReleaseNamespace(
      {
        release: REFERENCE_RELEASE.release,
        profile: REFERENCE_RELEASE.profile,
        target: REFERENCE_RELEASE.target,
        gic_version: '2',
        manifest_sha256: '0'.repeat(64),
        binaries: '4',
        console: 'tcp:31337',
      },
      [workerId, 'worker-2'],
    );
    const server = new ReleaseConsoleServer({
      token,
      ticketSecret,
      namespace,
      defects: consoleDefectsFor(ctx.defects),
    });
    const port = await server.listen();
    return {
      resources: {
        console: { host: '127.0.0.1', port, token },
        worker: { id: workerId, ticket: mintTicket(ticketSecret, 'worker-heartbeat', workerId) },
        packDir: COH_PACK_DIR,
      },
      stop: () => server.close(),
    };
  },
};
