// The live services whose actions the trace area's recorder receives: a reference
// Secure9P server (mutual TLS, the contract's example policy, the shared test PKI)
// and a cohsh TCP console, both recording into the recorder's live file (so into
// TRACE_OUT, and wherever a trace defect puts it). The trace service starts its own
// instances so the trace suite works when it runs alone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startReferenceSecure9p, DEFAULT_PKI_DIR } from '../secure9p/setup.ts';
import { ReleaseConsoleServer } from '../release/console-server.ts';
import { ReleaseNamespace } from '../release/namespace.ts';
import type { TraceConsoleEndpoint, TraceSecure9pEndpoint } from '../../contract/trace/resources.ts';
import type { TraceRecorder } from './recorder.ts';

/** The agent and event the console's CLI invocations are recorded under. */
export const CLI_AGENT = 'cohsh';
export const CLI_EVENT = 'cli';

export interface LiveServices {
  secure9p: TraceSecure9pEndpoint;
  console: TraceConsoleEndpoint;
  stop(): Promise<void>;
}

export async function startLiveServices(opts: {
  stateDir: string;
  recorder: TraceRecorder;
  pkiDir?: string;
}): Promise<LiveServices> {
  const { recorder } = opts;
  const ref = await startReferenceSecure9p({
    stateDir: join(opts.stateDir, 'secure9p'),
    pkiDir: opts.pkiDir ?? DEFAULT_PKI_DIR,
    liveTrace: { sink: (e) => recorder.record(e), file: recorder.liveFile, nsPath: recorder.livePath },
  });
  const token = randomBytes(16).toString('hex');
  const tokenFile = join(opts.stateDir, 'console-token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const namespace = new ReleaseNamespace(
    {
      release: 'reference',
      profile: 'trace',
      target: 'aarch64/virt',
      gic_version: '2',
      manifest_sha256: '0'.repeat(64),
      binaries: '0',
      console: 'tcp',
    },
    ['worker-1'],
  );
  const cli = new ReleaseConsoleServer({
    token,
    ticketSecret: randomBytes(32),
    namespace,
    onCommand: ({ command, ok }) =>
      recorder.record({ ts: Date.now(), agent: CLI_AGENT, event: CLI_EVENT, detail: command, ok }),
  });
  let port: number;
  try {
    port = await cli.listen();
  } catch (e) {
    await ref.server.stop();
    throw e;
  }
  const { pki, server } = ref;
  return {
    secure9p: {
      host: server.host,
      port: server.tlsPort,
      caCert: pki.ca.cert,
      agent: 'drone_worker',
      cert: pki.agents.drone_worker!.cert,
      key: pki.agents.drone_worker!.key,
      // the queen may read /srv (where the trace-srv-path defect puts the live file)
      reader: {
        agent: 'queen_primary',
        cert: pki.agents.queen_primary!.cert,
        key: pki.agents.queen_primary!.key,
      },
    },
    console: { host: '127.0.0.1', port, tokenFile, agent: CLI_AGENT, event: CLI_EVENT },
    stop: async () => {
      await Promise.all([server.stop(), cli.close()]);
    },
  };
}
