// The whole reference GUI orchestrator in one call: test PKI, the gRPC control plane
// (mTLS), and the HTTP GUI in front of it, sharing one state dir as their namespace.
// Used by the reference service and by the project's own tests.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureTestPki, issueClientCert, type IssuedCert, type TestPki } from '../orchestrator/test-certs.ts';
import { startOrchestratorServer, type RunningOrchestrator } from '../orchestrator/server.ts';
import { GUI_PATHS, startGuiServer, type RunningGui } from './server.ts';
import { seedDashboardNamespace } from './namespace.ts';
import type { OrchCredentials } from './auth.ts';

export interface GuiStackOptions {
  stateDir: string;
  defect?: string;
  /** seconds without heartbeat before a worker is dropped */
  timeoutSeconds?: number;
  dev?: boolean;
  queenId?: string;
  livePollMs?: number;
}

export interface GuiStack {
  orchestrator: RunningOrchestrator;
  gui: RunningGui;
  pki: TestPki;
  credentials: OrchCredentials;
  /** queen identity the GUI itself uses */
  guiClient: IssuedCert;
  /** queen identity handed to suites (may Join on behalf of workers and read the state) */
  operatorClient: IssuedCert;
  /** worker identity spiffe://cohesix/worker/DroneWorker/qa-drone */
  workerClient: IssuedCert & { workerId: string; role: string };
  stop(): Promise<void>;
}

export async function startGuiStack(opts: GuiStackOptions): Promise<GuiStack> {
  const queenId = opts.queenId ?? 'queen-reference';
  const pki = await ensureTestPki(join(opts.stateDir, 'pki'));
  const guiClient = await issueClientCert(pki, 'gui', `spiffe://cohesix/queen/QueenPrimary/${queenId}-gui`);
  const operatorClient = await issueClientCert(
    pki,
    'operator',
    'spiffe://cohesix/queen/QueenPrimary/qa-operator',
  );
  const workerClient = {
    ...(await issueClientCert(pki, 'worker', 'spiffe://cohesix/worker/DroneWorker/qa-drone')),
    workerId: 'qa-drone',
    role: 'DroneWorker',
  };

  const credentials: OrchCredentials = { user: 'operator', pass: randomBytes(18).toString('base64url') };
  const credPath = join(opts.stateDir, GUI_PATHS.credentials);
  mkdirSync(join(opts.stateDir, 'srv'), { recursive: true });
  writeFileSync(credPath, JSON.stringify(credentials), { mode: 0o600 });
  seedDashboardNamespace(opts.stateDir, queenId);

  const ca = readFileSync(pki.caCert);
  const orchestrator = await startOrchestratorServer({
    queenId,
    timeoutSeconds: opts.timeoutSeconds ?? 30,
    tls: { ca, cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey) },
    mirrorPath: join(opts.stateDir, GUI_PATHS.mirror),
  });
  let gui: RunningGui;
  try {
    gui = await startGuiServer({
      stateDir: opts.stateDir,
      dev: opts.dev,
      defect: opts.defect,
      livePollMs: opts.livePollMs,
      orchestrator: {
        address: orchestrator.address,
        serverName: 'localhost',
        tls: { ca, cert: readFileSync(guiClient.cert), key: readFileSync(guiClient.key) },
      },
    });
  } catch (e) {
    await orchestrator.stop();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return {
    orchestrator,
    gui,
    pki,
    credentials,
    guiClient,
    operatorClient,
    workerClient,
    stop() {
      stopping ??= (async () => {
        await gui.stop();
        await orchestrator.stop();
      })();
      return stopping;
    },
  };
}
