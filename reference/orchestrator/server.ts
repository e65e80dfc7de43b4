// The reference control plane: cohesix.orchestrator.OrchestratorService over gRPC
// with mandatory mutual TLS. Every call is checked against the caller's SPIFFE
// identity before it touches the cluster state. The state is mirrored to
// /srv/agents/active.json (under the service's state dir) after every change,
// which is what the GUI falls back to when this server is unreachable.
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { orchestratorServiceDefinition } from '../../contract/orchestrator/proto.ts';
import type { RpcName } from '../../contract/orchestrator/orchestrator-types.ts';
import { ClusterState, StateError, type ClusterOptions } from './cluster-state.ts';
import { authorize, parseSpiffeIdentity, uriSans } from './identity.ts';

export interface OrchestratorServerOptions extends ClusterOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  tls: { ca: Buffer; cert: Buffer; key: Buffer };
  trustDomain?: string;
  /** where to mirror the cluster state as JSON (the contract's /srv/agents/active.json) */
  mirrorPath?: string;
  /** how often expired workers are swept from the mirror */
  sweepMs?: number;
}

export interface RunningOrchestrator {
  /** host:port to dial */
  address: string;
  port: number;
  state: ClusterState;
  stop(): Promise<void>;
}

function toStatus(e: unknown): Partial<grpc.StatusObject> {
  if (e instanceof StateError) {
    return {
      code: e.kind === 'not-found' ? grpc.status.NOT_FOUND : grpc.status.INVALID_ARGUMENT,
      details: e.message,
    };
  }
  return { code: grpc.status.INTERNAL, details: e instanceof Error ? e.message : String(e) };
}

export async function startOrchestratorServer(opts: OrchestratorServerOptions): Promise<RunningOrchestrator> {
  const state = new ClusterState(opts);
  const trustDomain = opts.trustDomain ?? 'cohesix';
  const server = new grpc.Server();

  let mirroredVersion = -1;
  const writeMirror = (): void => {
    if (!opts.mirrorPath) return;
    const version = state.changeCount;
    if (version === mirroredVersion) return;
    mirroredVersion = version;
    mkdirSync(dirname(opts.mirrorPath), { recursive: true });
    const tmp = `${opts.mirrorPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(state.snapshot(), null, 2));
    renameSync(tmp, opts.mirrorPath);
  };

  type Handler = (req: Record<string, unknown>) => unknown;
  const handlers: Record<RpcName, Handler> = {
    Join: (r) => state.join(r as never),
    Heartbeat: (r) => state.heartbeat(r as never),
    RequestSchedule: (r) => state.schedule(r as never),
    AssignRole: (r) => ({ updated: state.assignRole(r as never) }),
    UpdateTrust: (r) => ({ level: state.updateTrust(r as never) }),
    GetClusterState: () => state.snapshot(),
  };

  const implementation: grpc.UntypedServiceImplementation = {};
  for (const rpc of Object.keys(handlers) as RpcName[]) {
    implementation[rpc] = (
      call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const peerCert = call.getAuthContext()?.sslPeerCertificate;
      const id = parseSpiffeIdentity(uriSans(peerCert?.subjectaltname), trustDomain);
      if (!id.ok) {
        callback({
          code: id.unauthenticated ? grpc.status.UNAUTHENTICATED : grpc.status.PERMISSION_DENIED,
          details: id.reason,
        });
        return;
      }
      const refusal = authorize(id.identity, rpc, call.request);
      if (refusal) {
        callback({ code: grpc.status.PERMISSION_DENIED, details: refusal });
        return;
      }
      try {
        const response = handlers[rpc](call.request);
        writeMirror();
        callback(null, response);
      } catch (e) {
        callback(toStatus(e));
      }
    };
  }
  server.addService(orchestratorServiceDefinition(), implementation);

  const creds = grpc.ServerCredentials.createSsl(
    opts.tls.ca,
    [{ cert_chain: opts.tls.cert, private_key: opts.tls.key }],
    true,
  );
  const host = opts.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${opts.port ?? 0}`, creds, (err, p) =>
      err
        ? reject(new Error(`orchestrator could not listen on ${host}:${opts.port ?? 0}: ${err.message}`))
        : resolve(p),
    );
  });
  writeMirror();
  const sweep = setInterval(writeMirror, opts.sweepMs ?? 250);
  sweep.unref();

  return {
    address: `${host}:${port}`,
    port,
    state,
    async stop() {
      clearInterval(sweep);
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
