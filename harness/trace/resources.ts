// The JSON resources of the trace area: what a target (the reference target or a
// user's) gives the trace fixtures.
import type { QueenClusterResources } from './queen-client.ts';

export interface TraceResources {
  /** local folder that is the target's namespace root (reference target); a 9P endpoint replaces it later */
  nsRoot: string;
  /** the trace directory in the namespace (/log/trace, or TRACE_OUT) */
  traceDir: string;
  snapshots?: {
    baseline: string;
    current: string;
    /** the deviation the reference target seeded into `current`, for the diff case */
    seeded?: {
      kind: 'added' | 'removed' | 'changed';
      agent: string;
      event: string;
      detail: string;
      field?: string;
    };
  };
  queens?: QueenClusterResources;
}
