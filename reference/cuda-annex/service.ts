// The cuda-annex area of the reference target: its own control plane + GUI
// (reference/gui's stack, workers time out after 2 s) and a worker identity. The
// annex and the worker executor run inside the suite's worker process (the
// fixtures start them), because the tests steer the annex through its in-process
// fault handle; the defect mode travels to them in the resources.
import { join } from 'node:path';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import { issueClientCert } from '../pki/index.ts';
import { GUI_PATHS } from '../gui/server.ts';
import { startGuiStack } from '../gui/stack.ts';
import type { CudaAnnexResources } from '../../contract/cuda-annex/resources.ts';

const WORKER_ID = 'qa-cuda-worker';
const ROLE = 'DroneWorker';

/** a user's annex named in config (put behind the suite's fault proxy), else the reference one */
function userAnnex(config: Record<string, unknown>): CudaAnnexResources['annex'] {
  const a = config['annex'];
  if (a && typeof a === 'object' && typeof (a as { endpoint?: unknown }).endpoint === 'string')
    return { endpoint: (a as { endpoint: string }).endpoint };
  return 'in-process';
}

export const cudaAnnexService: ReferenceService = {
  area: 'cuda-annex',
  async start(ctx: ServiceContext): Promise<StartedService> {
    const workerTimeoutSeconds = 2;
    const stack = await startGuiStack({ stateDir: ctx.stateDir, timeoutSeconds: workerTimeoutSeconds });
    const onAbort = () => void stack.stop();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const worker = await issueClientCert(
        stack.pki,
        'cuda-worker',
        `spiffe://cohesix/worker/${ROLE}/${WORKER_ID}`,
      );
      const resources: CudaAnnexResources = {
        guiUrl: stack.gui.url,
        credentialsFile: join(ctx.stateDir, GUI_PATHS.credentials),
        grpcAddress: stack.orchestrator.address,
        grpcServerName: 'localhost',
        caCert: stack.pki.ca.cert,
        workerCert: worker.cert,
        workerKey: worker.key,
        workerId: WORKER_ID,
        role: ROLE,
        annex: userAnnex(ctx.areaConfig),
        defect: [...ctx.defects].join(',') || undefined,
        // generous: a connect + attach on a loaded 2-core CI box took > 250 ms and turned a
        // dispatch failure into a connection failure; the campaign uses its own 80 ms bound
        boundMs: 1000,
        heartbeatMs: 150,
        workerTimeoutSeconds,
        statusBoundMs: 2000,
      };
      return {
        resources: { ...resources },
        provenance: {
          'cuda-annex.gui': stack.gui.url,
          'cuda-annex.orchestrator': stack.orchestrator.address,
        },
        async stop() {
          ctx.signal.removeEventListener('abort', onAbort);
          await stack.stop();
        },
      };
    } catch (e) {
      await stack.stop();
      throw e;
    }
  },
};
