// The whole reference GUI orchestrator in one call: test PKI, the gRPC control plane
// (mTLS), and the HTTP GUI in front of it, sharing one state dir as their namespace.
// Used by the reference service and by the project's own tests.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ensureTestPki, issueClientCert, type CertPair, type TestPki } from '../pki/index.ts';
import { startOrchestratorServer, type RunningOrchestrator } from '../orchestrator/server.ts';
import { GUI_PATHS, startGuiServer, type GuiSilentChoices, type RunningGui } from './server.ts';
import { seedDashboardNamespace } from './namespace.ts';
import type { OrchCredentials } from './auth.ts';

export interface GuiStackOptions {
  stateDir: string;
  /** the GUI's defect modes in force */
  defects?: ReadonlySet<string>;
  /** seconds without heartbeat before a worker is dropped */
  timeoutSeconds?: number;
  dev?: boolean;
  queenId?: string;
  livePollMs?: number;
  /** the shared test PKI (reference/pki); default reference/pki/generated, made once and reused */
  pkiDir?: string;
  /** the GUI's --log-file; default <stateDir>/log/gui_access.log (the contract's /log/gui_access.log) */
  accessLogFile?: string;
  /** readings of what the contract leaves open other than the reference's */
  choices?: GuiSilentChoices;
}

export const DEFAULT_GUI_PKI_DIR = fileURLToPath(new URL('../pki/generated/', import.meta.url));

export interface GuiStack {
  orchestrator: RunningOrchestrator;
  gui: RunningGui;
  pki: TestPki;
  credentials: OrchCredentials;
  /** queen identity the GUI itself uses */
  guiClient: CertPair;
  /** queen identity handed to suites (may Join on behalf of workers and read the state) */
  operatorClient: CertPair;
  /** worker identity spiffe://cohesix/worker/DroneWorker/qa-drone */
  workerClient: CertPair & { workerId: string; role: string };
  stop(): Promise<void>;
}

export async function startGuiStack(opts: GuiStackOptions): Promise<GuiStack> {
  const queenId = opts.queenId ?? 'queen-reference';
  const pki = await ensureTestPki(opts.pkiDir ?? DEFAULT_GUI_PKI_DIR);
  // the PKI's extra certificates are shared with other areas: names carry a gui- prefix
  const guiClient = await issueClientCert(
    pki,
    'gui-self',
    `spiffe://cohesix/queen/QueenPrimary/${queenId}-gui`,
  );
  const operatorClient = await issueClientCert(
    pki,
    'gui-operator',
    'spiffe://cohesix/queen/QueenPrimary/qa-operator',
  );
  const workerClient = {
    ...(await issueClientCert(pki, 'gui-worker', 'spiffe://cohesix/worker/DroneWorker/qa-drone')),
    workerId: 'qa-drone',
    role: 'DroneWorker',
  };

  const credentials: OrchCredentials = { user: 'operator', pass: randomBytes(18).toString('base64url') };
  const credPath = join(opts.stateDir, GUI_PATHS.credentials);
  mkdirSync(join(opts.stateDir, 'srv'), { recursive: true });
  writeFileSync(credPath, JSON.stringify(credentials), { mode: 0o600 });
  seedDashboardNamespace(opts.stateDir, queenId);
  // The namespace holds the log file before the GUI starts, as a system's log service
  // would: a GUI that writes elsewhere (defect gui-access-log-path) leaves it there,
  // empty, so the suite sees a log that does not grow, not a missing file.
  const accessLogFile = opts.accessLogFile ?? join(opts.stateDir, GUI_PATHS.accessLog);
  mkdirSync(dirname(accessLogFile), { recursive: true });
  appendFileSync(accessLogFile, '');

  const ca = readFileSync(pki.ca.cert);
  const orchestrator = await startOrchestratorServer({
    queenId,
    timeoutSeconds: opts.timeoutSeconds ?? 30,
    tls: { ca, cert: readFileSync(pki.server.cert), key: readFileSync(pki.server.key) },
    mirrorPath: join(opts.stateDir, GUI_PATHS.mirror),
  });
  let gui: RunningGui;
  try {
    gui = await startGuiServer({
      stateDir: opts.stateDir,
      dev: opts.dev,
      defects: opts.defects,
      logFile: accessLogFile,
      choices: opts.choices,
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
