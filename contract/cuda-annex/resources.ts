// The JSON resources of the cuda-annex area: what a target (the reference target or a
// user's lab described in config) hands the cuda-annex fixtures — the service interface
// between the two sides, so both may name it. Endpoints, file paths and bounds only.

/** A worker process speaking the JSON-lines worker protocol (worker-protocol.ts). */
export interface WorkerCommand {
  /** argv: the program, then its arguments */
  command: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** bound on the worker's hello after start (default 20000 ms) */
  startBoundMs?: number;
  /** bound on one job's outcome after it was sent (default 4 × boundMs + 5000 ms) */
  replyBoundMs?: number;
}

export interface CudaAnnexResources {
  /** the GUI whose /api/status must show the worker's GPU load and annex health */
  guiUrl: string;
  /** {"user","pass"} file; read by the fixtures, never copied into resources */
  credentialsFile: string;
  grpcAddress: string;
  grpcServerName?: string;
  caCert: string;
  /** the worker's own mTLS identity (spiffe://cohesix/worker/<role>/<workerId>) */
  workerCert: string;
  workerKey: string;
  workerId: string;
  role: string;
  /**
   * 'in-process': the fixtures run the reference annex beside the worker, with its fault handle;
   * {endpoint}: a user's annex (`tcp:<host>:<port>`), reached through a fault-injecting proxy
   */
  annex: 'in-process' | { endpoint: string };
  /**
   * the worker under test: 'in-process' (default) is the reference executor in the suite's
   * process; a command is a worker process speaking the JSON-lines worker protocol
   */
  worker?: 'in-process' | WorkerCommand;
  /** the defect modes the in-process worker runs with, comma-separated (reference target only) */
  defect?: string;
  /** bound on one remote dispatch */
  boundMs: number;
  /** heartbeat period */
  heartbeatMs: number;
  /** the control plane forgets a silent worker after this many seconds */
  workerTimeoutSeconds: number;
  /** how soon /api/status must show an annex outage or recovery */
  statusBoundMs: number;
}
