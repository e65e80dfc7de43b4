// orchestrator.proto loaded once, as both sides of the control plane use it: the
// harness's gRPC client builds its stub from the service definition, the reference
// control plane serves it. Loader options fix how messages decode (see
// orchestrator-types.ts: keepCase, 64-bit integers as numbers, defaults filled in).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

export const ORCHESTRATOR_PROTO = fileURLToPath(new URL('./orchestrator.proto', import.meta.url));
export const ORCHESTRATOR_SERVICE = 'cohesix.orchestrator.OrchestratorService';

const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
};

let cachedDefinition: grpc.GrpcObject | undefined;

/** The loaded package definition (shared by client and reference server). */
export function orchestratorPackage(): grpc.GrpcObject {
  cachedDefinition ??= grpc.loadPackageDefinition(protoLoader.loadSync(ORCHESTRATOR_PROTO, LOADER_OPTIONS));
  return cachedDefinition;
}

export function orchestratorServiceDefinition(): grpc.ServiceDefinition {
  const ctor = (orchestratorPackage()['cohesix'] as grpc.GrpcObject)['orchestrator'] as grpc.GrpcObject;
  return (ctor['OrchestratorService'] as grpc.ServiceClientConstructor).service;
}
