// The trace area's resources live in contract/trace/resources.ts (the service
// interface both sides name); re-exported here for the trace fixtures.
export type {
  QueenClusterResources,
  QueenEndpoint,
  TraceConsoleEndpoint,
  TraceResources,
  TraceSecure9pEndpoint,
} from '../../contract/trace/resources.ts';
