// What a target is, as suites and reporters see it: a name, a kind, and the
// resources its drivers are bound to. The descriptor is plain JSON because it
// crosses from the main process to vitest workers through provide/inject.

export type TargetKind = 'reference' | 'qemu' | 'lab' | 'release' | 'external';

export interface TargetDescriptor {
  kind: TargetKind;
  name: string;
  /** reference target only: the named defect mode(s) in force, comma-separated */
  defect?: string;
  /** per-area resources, keyed by suite area (governance, secure9p, gui, boot, ...) */
  resources: Record<string, unknown>;
  /** set when the target could not be started: every case that needs it becomes an infra error */
  infraError?: string;
  /** provenance facts for the run-start event (image sha256, qemu version, ...) */
  provenance?: Record<string, string>;
}

/** Context handed to each area's reference service when the reference target starts. */
export interface ServiceContext {
  /** this run's private state directory for the area (created) */
  stateDir: string;
  /** root for pidfiles so stale children are reaped at the next start */
  stateRoot: string;
  /** reference target only: this area's defect modes in force (empty: none) */
  defects: ReadonlySet<string>;
  /** the area's section of the user's config, if any */
  areaConfig: Record<string, unknown>;
  signal: AbortSignal;
}

export interface StartedService {
  /** JSON resources the area's fixtures will bind drivers to */
  resources: Record<string, unknown>;
  provenance?: Record<string, string>;
  stop(): Promise<void>;
}

/** One area of the reference target: started only when a planned suite needs it. */
export interface ReferenceService {
  area: string;
  /**
   * Keys of the user's area section that tune this reference service (e.g. a timeout).
   * When given, any other key names a service of the user's own and is refused under the
   * reference target (use the external target); when absent, the user's section is laid
   * over the service's resources (e.g. governance.root).
   */
  tuningKeys?: readonly string[];
  start(ctx: ServiceContext): Promise<StartedService>;
}
