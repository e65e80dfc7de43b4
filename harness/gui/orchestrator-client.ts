// gRPC client for cohesix.orchestrator.OrchestratorService over mutual TLS.
// Every call has a deadline; failures become GrpcCallError naming the RPC, the
// endpoint and the gRPC status, so a caller can tell "unreachable" from "refused".
import * as grpc from '@grpc/grpc-js';
import { ORCHESTRATOR_SERVICE, orchestratorServiceDefinition } from '../../contract/orchestrator/proto.ts';
import type { OrchestratorRpcs, RpcName } from '../../contract/orchestrator/orchestrator-types.ts';

export interface TlsMaterial {
  /** PEM of the CA that signed the server's certificate */
  ca: Buffer;
  /** this client's certificate and key (PEM); omitted only to prove the server demands them */
  cert?: Buffer;
  key?: Buffer;
}

export class GrpcCallError extends Error {
  override name = 'GrpcCallError';
  constructor(
    readonly rpc: RpcName,
    readonly address: string,
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(`${rpc} on ${address} failed: ${grpc.status[code] ?? code} (${details})`);
  }
  /** the server could not be reached or the TLS handshake did not complete */
  get unreachable(): boolean {
    return this.code === grpc.status.UNAVAILABLE || this.code === grpc.status.DEADLINE_EXCEEDED;
  }
}

export interface OrchestratorClient {
  readonly address: string;
  call<K extends RpcName>(
    rpc: K,
    request: OrchestratorRpcs[K][0],
    timeoutMs?: number,
  ): Promise<OrchestratorRpcs[K][1]>;
  close(): void;
}

/** Connect (lazily) to an orchestrator at host:port with mutual TLS. */
export function connectOrchestrator(
  address: string,
  tls: TlsMaterial,
  opts: { serverName?: string } = {},
): OrchestratorClient {
  const Ctor = grpc.makeGenericClientConstructor(orchestratorServiceDefinition(), 'OrchestratorService');
  const channelOptions: grpc.ChannelOptions = {
    // fail fast instead of queueing calls while the server is down
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 1000,
  };
  if (opts.serverName) channelOptions['grpc.ssl_target_name_override'] = opts.serverName;
  const client = new Ctor(
    address,
    grpc.credentials.createSsl(tls.ca, tls.key ?? null, tls.cert ?? null),
    channelOptions,
  );
  const rpcMethod = (rpc: RpcName): string => rpc.charAt(0).toLowerCase() + rpc.slice(1);
  return {
    address,
    call(rpc, request, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        type UnaryMethod = (
          req: unknown,
          options: grpc.CallOptions,
          cb: (err: grpc.ServiceError | null, res: unknown) => void,
        ) => void;
        const methods = client as unknown as Record<string, UnaryMethod | undefined>;
        const fn = methods[rpc] ?? methods[rpcMethod(rpc)];
        if (!fn) {
          reject(new Error(`${ORCHESTRATOR_SERVICE} has no RPC ${rpc}`));
          return;
        }
        fn.call(
          client,
          request,
          { deadline: Date.now() + timeoutMs },
          (err: grpc.ServiceError | null, response: unknown) => {
            if (err) reject(new GrpcCallError(rpc, address, err.code, err.details || err.message));
            else resolve(response as never);
          },
        );
      });
    },
    close() {
      client.close();
    },
  };
}
