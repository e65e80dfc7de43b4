// The secure9p area of the reference target: starts the reference Secure9P
// server (TLS + plain 9P on free ports) with the example policy, the test PKI
// and the defect in force, and describes it as Secure9pResources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import type { Secure9pResources } from '../../contract/secure9p/resources.ts';
import type { NinepServerConfig } from '../../contract/ninep/server-config.ts';
import { startReferenceSecure9p, DEFAULT_PKI_DIR, EXAMPLE_POLICY, MALFORMED_DIR } from './setup.ts';
import { SECURE9P_DEFECTS } from './server.ts';

export const secure9pService: ReferenceService = {
  area: 'secure9p',
  async start(ctx: ServiceContext): Promise<StartedService> {
    const defects = new Set(
      [...ctx.defects].filter((d) => (SECURE9P_DEFECTS as readonly string[]).includes(d)),
    );
    const pkiDir = typeof ctx.areaConfig.pkiDir === 'string' ? ctx.areaConfig.pkiDir : DEFAULT_PKI_DIR;
    // the policy says 5645; the reference listens on a free port unless the config pins one
    const port = typeof ctx.areaConfig.port === 'number' ? ctx.areaConfig.port : 0;
    const ref = await startReferenceSecure9p({ stateDir: ctx.stateDir, pkiDir, defects, port });
    const { server, pki } = ref;
    const expected = JSON.parse(readFileSync(join(MALFORMED_DIR, 'expected.json'), 'utf8')) as Record<
      string,
      string
    >;
    // the conformance and hostile groups use the plain listener as drone_worker (it may write /tmp),
    // unless the config names another 9P server
    const conformance: NinepServerConfig = (ctx.areaConfig.conformance as NinepServerConfig | undefined) ?? {
      name: 'reference 9P (plain listener)',
      transport: 'tcp',
      host: server.host,
      port: server.plainPort!,
      dialect: '9P2000',
      uname: 'drone_worker',
      writableDir: '/tmp',
    };
    const resources: Secure9pResources = {
      secure: { host: server.host, port: server.tlsPort, caCert: pki.ca.cert },
      plain: { host: server.host, port: server.plainPort! },
      agents: pki.agents,
      refused: { foreign: pki.foreign, expired: pki.expired },
      logs: {
        secure9p: { file: server.logs.secure9p, nsPath: '/log/net_trace_secure9p.log' },
        plain: { file: server.logs.plain, nsPath: '/log/net_trace.log' },
        trace: { file: server.logs.trace, nsPath: '/log/trace/live.log' },
      },
      logReader: 'queen_primary',
      policy: {
        active: ref.policyFile,
        examples: [EXAMPLE_POLICY],
        malformed: Object.entries(expected).map(([file, expect]) => ({
          file: join(MALFORMED_DIR, file),
          expect,
        })),
      },
      conformance,
    };
    return {
      resources: resources as unknown as Record<string, unknown>,
      provenance: { secure9pPolicy: ref.policyFile, secure9pDefect: [...defects].join(',') || 'none' },
      stop: () => server.stop(),
    };
  },
};
