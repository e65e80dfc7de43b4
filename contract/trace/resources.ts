// The JSON resources of the trace area: what a target (the reference target or a
// user's) gives the trace fixtures — the service interface between the two sides,
// so both may name it. Endpoints and file paths only: how the checker judges what
// it finds there is its own code, how the reference serves it is the reference's.

export interface QueenEndpoint {
  id: string;
  host: string;
  port: number;
  /** ed25519 session public key (SPKI PEM) the queen announced at start */
  publicKey: string;
  /** local folder that is this queen's namespace root (reference target) */
  nsRoot: string;
}

/** JSON resources of a queen cluster, as the reference service hands them to fixtures. */
export interface QueenClusterResources {
  queens: QueenEndpoint[];
  /** PEM file paths of the controller's client certificate (never the key text) */
  controller: { ca: string; cert: string; key: string };
  voteTimeoutMs: number;
}

/** A Secure9P endpoint (9P over mutual TLS) and the identities the trace suite uses on it. */
export interface TraceSecure9pEndpoint {
  host: string;
  port: number;
  /** PEM file of the CA that signed the server's certificate */
  caCert: string;
  servername?: string;
  /** the agent the suite's Secure9P actions run as, and its client certificate (PEM files) */
  agent: string;
  cert: string;
  key: string;
  /** who reads the trace files (default: `agent`): an agent allowed to read them */
  reader?: { agent: string; cert: string; key: string };
  /** paths in the agent's namespace (defaults fit the contract's example policy for drone_worker) */
  paths?: {
    /** a file the agent may read */
    read?: string;
    /** a directory the agent may create files in */
    writeDir?: string;
    /** an existing file the policy refuses the agent to write */
    denied?: string;
  };
}

/** The cohsh TCP console, for the CLI invocations the trace must record. */
export interface TraceConsoleEndpoint {
  host: string;
  port: number;
  /** the AUTH token, or a file holding it (preferred: the token stays out of resources) */
  token?: string;
  tokenFile?: string;
  /** role to ATTACH as (default queen) and its ticket (worker roles) */
  role?: string;
  ticket?: string;
  /** agent and event the target records CLI invocations under (default cohsh, cli) */
  agent?: string;
  event?: string;
  /** files to CAT and TAIL (default /proc/boot, /log/queen.log) */
  cat?: string;
  tail?: string;
}

export interface TraceResources {
  /**
   * local folder that is the target's namespace root (reference target). Without it the
   * namespace is read over Secure9P as `secure9p.reader` (a user's target).
   */
  nsRoot?: string;
  /** the trace directory in the namespace (/log/trace, or TRACE_OUT) */
  traceDir: string;
  /** config spelling of traceDir (the target's TRACE_OUT) */
  traceOut?: string;
  /** the Secure9P endpoint the suite acts on and reads the live trace through */
  secure9p?: TraceSecure9pEndpoint;
  /** the cohsh console the suite invokes CLI commands on */
  console?: TraceConsoleEndpoint;
  /** where the validator keeps its rules and logs (namespace paths; defaults in harness/trace/validator-rules.ts) */
  validator?: { rulesDir?: string; rulesLog?: string; logDir?: string };
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
