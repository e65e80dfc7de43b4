// The reference target's own caller of the control plane (the GUI server reads the
// cluster through it, CUDA workers send their heartbeats): a gRPC stub built from the
// shared proto loader, so the reference needs nothing of the checker's client.
// Mutual TLS, a deadline on every call; a failure is a ControlPlaneCallError that
// says whether the control plane could be reached at all.
import * as grpc from '@grpc/grpc-js';
import { orchestratorPackage } from '../../contract/orchestrator/proto.ts';
import type { OrchestratorRpcs, RpcName } from '../../contract/orchestrator/orchestrator-types.ts';

/** PEM material for mutual TLS with the control plane. */
export interface ControlPlaneTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export class ControlPlaneCallError extends Error {
  override name = 'ControlPlaneCallError';
  constructor(
    readonly rpc: RpcName,
    readonly address: string,
    /** the gRPC status code */
    readonly code: grpc.status,
    detail: string,
  ) {
    super(`control plane ${address}: ${rpc} failed with ${grpc.status[code] ?? code} (${detail})`);
  }
  /** no answer at all (down, or TLS never completed) as opposed to an answer refusing the call */
  get unreachable(): boolean {
    return [grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(this.code);
  }
}

/**
 * What the reference needs of a control-plane client. The checker's client has the same
 * shape, so the lab may hand its own to the in-process worker.
 */
export interface ControlPlaneClient {
  call: ControlPlaneCall;
  close(): void;
}

/** One unary RPC, answered or failed within timeoutMs. */
type ControlPlaneCall = <K extends RpcName>(
  rpc: K,
  request: Request<K>,
  timeoutMs?: number,
) => Promise<Reply<K>>;
type Request<K extends RpcName> = OrchestratorRpcs[K][0];
type Reply<K extends RpcName> = OrchestratorRpcs[K][1];

type Unary = (
  request: unknown,
  options: grpc.CallOptions,
  done: (err: grpc.ServiceError | null, reply: unknown) => void,
) => grpc.ClientUnaryCall;

/** A lazily connecting client of the control plane at host:port. */
export function controlPlaneClient(
  address: string,
  tls: ControlPlaneTls,
  serverName?: string,
): ControlPlaneClient {
  const ns = (orchestratorPackage()['cohesix'] as grpc.GrpcObject)['orchestrator'] as grpc.GrpcObject;
  const Stub = ns['OrchestratorService'] as grpc.ServiceClientConstructor;
  const stub = new Stub(address, grpc.credentials.createSsl(tls.ca, tls.key ?? null, tls.cert ?? null), {
    // a down control plane must fail calls quickly, not queue them behind long backoffs
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 1000,
    ...(serverName ? { 'grpc.ssl_target_name_override': serverName } : {}),
  });
  return {
    call: <K extends RpcName>(rpc: K, request: Request<K>, timeoutMs = 2000) =>
      new Promise<Reply<K>>((resolve, reject) => {
        const method = (stub as unknown as Record<string, Unary | undefined>)[rpc];
        if (!method) return reject(new Error(`orchestrator.proto has no RPC named ${rpc}`));
        method.call(stub, request, { deadline: Date.now() + timeoutMs }, (err, reply) =>
          err
            ? reject(new ControlPlaneCallError(rpc, address, err.code, err.details || err.message))
            : resolve(reply as Reply<K>),
        );
      }),
    close: () => stub.close(),
  };
}
