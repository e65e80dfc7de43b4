// The GUI area of the reference target: the gRPC control plane and the HTTP GUI in
// front of it, in-process, sharing the area's state dir as their namespace
// (srv/orch_user.json, srv/agents/active.json, log/gui_access.log). Workers time out
// after 4 s without a heartbeat (areaConfig.timeoutSeconds) so the suite stays fast.
import { join } from 'node:path';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import { GUI_DEFECT_NAMES } from './defect-names.ts';
import { GUI_PATHS } from './server.ts';
import { startGuiStack } from './stack.ts';

export const guiService: ReferenceService = {
  area: 'gui',
  // what a user may tune of the reference GUI; an own url, grpcAddress, ... is refused
  // (the external target tests those)
  tuningKeys: ['timeoutSeconds', 'liveBoundMs', 'browserPath', 'clientAddresses'],
  async start(ctx: ServiceContext): Promise<StartedService> {
    const defects = new Set(
      [...ctx.defects].filter((d) => (GUI_DEFECT_NAMES as readonly string[]).includes(d)),
    );
    const timeoutSeconds =
      typeof ctx.areaConfig['timeoutSeconds'] === 'number' ? ctx.areaConfig['timeoutSeconds'] : 4;
    const stack = await startGuiStack({ stateDir: ctx.stateDir, defects, timeoutSeconds });
    const onAbort = () => void stack.stop();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    return {
      // no secret in here: the fixtures read the password from credentialsFile
      resources: {
        url: stack.gui.url,
        credentialsFile: join(ctx.stateDir, GUI_PATHS.credentials),
        grpcAddress: stack.orchestrator.address,
        // the test server certificate names localhost; naming it avoids TLS SNI with an IP
        grpcServerName: 'localhost',
        caCert: stack.pki.ca.cert,
        clientCert: stack.operatorClient.cert,
        clientKey: stack.operatorClient.key,
        accessLogPath: join(ctx.stateDir, GUI_PATHS.accessLog),
      },
      // gui.url and gui.grpcAddress come from the resources tested (harness/run/provenance.ts)
      provenance: { 'gui.worker_timeout_s': String(timeoutSeconds) },
      async stop() {
        ctx.signal.removeEventListener('abort', onAbort);
        await stack.stop();
      },
    };
  },
};
