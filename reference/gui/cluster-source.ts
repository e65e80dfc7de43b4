// Where the GUI's view of the cluster comes from: GetClusterState on every call,
// and the /srv/agents/active.json mirror only when the control plane cannot be
// reached. Any other gRPC failure (refused, invalid) is reported, never papered over.
import { readFileSync } from 'node:fs';
import { ControlPlaneCallError, type ControlPlaneClient } from '../orchestrator/client.ts';
import type { ClusterStateResponse } from '../../contract/orchestrator/orchestrator-types.ts';

export type ClusterRead =
  | { source: 'grpc'; state: ClusterStateResponse }
  | { source: 'mirror'; state: ClusterStateResponse; grpcError: string }
  | { source: 'none'; error: string; httpStatus: 502 | 503 };

export async function readCluster(
  client: ControlPlaneClient,
  mirrorPath: string,
  timeoutMs: number,
): Promise<ClusterRead> {
  try {
    return { source: 'grpc', state: await client.call('GetClusterState', {}, timeoutMs) };
  } catch (e) {
    if (!(e instanceof ControlPlaneCallError) || !e.unreachable) {
      return { source: 'none', httpStatus: 502, error: e instanceof Error ? e.message : String(e) };
    }
    try {
      const mirror = JSON.parse(readFileSync(mirrorPath, 'utf8')) as ClusterStateResponse;
      if (!Array.isArray(mirror.workers)) throw new Error('no workers array');
      return { source: 'mirror', state: mirror, grpcError: e.message };
    } catch (mirrorErr) {
      return {
        source: 'none',
        httpStatus: 503,
        error: `${e.message}; mirror ${mirrorPath} unusable: ${(mirrorErr as Error).message}`,
      };
    }
  }
}
