// A TCP listener with a test-only fault handle (stop, refuse, fail dispatches, slow)
// for the proxy put in front of a user's annex. The reference annex has its own
// (reference/cuda-annex/fault-switch.ts); the fixtures hold both to AnnexFaults, so
// both fail the same way. The serve function reads `state` to decide what to do.
import net from 'node:net';

export type AnnexMode = 'up' | 'down' | 'refuse' | 'fail';

/** Test-only control over the annex's availability. */
export interface AnnexFaults {
  /** close the listener and every connection: connects are refused by the OS */
  stop(): Promise<void>;
  /** listen again on the same port, serving normally */
  start(): Promise<void>;
  /** accept connections and reset them at once */
  refuseConnections(): Promise<void>;
  /** answer every /dispatch write with an Rerror */
  failDispatches(): Promise<void>;
  /** delay every /dispatch write by ms (0 = no delay); independent of the mode */
  slow(ms: number): void;
  /** back to up, no delay */
  reset(): Promise<void>;
  readonly mode: AnnexMode;
  readonly slowMs: number;
}

export interface FaultState {
  mode: AnnexMode;
  slowMs: number;
}

export interface FaultableListener {
  readonly port: number;
  readonly faults: AnnexFaults;
  close(): Promise<void>;
}

/** Listen on host:port (0 = any free port) and keep that port across stop/start. */
export async function listenWithFaults(opts: {
  label: string;
  host: string;
  port?: number;
  state: FaultState;
  sockets: Set<net.Socket>;
  serve: (socket: net.Socket) => void;
}): Promise<FaultableListener> {
  const { host, state, sockets } = opts;
  let port = opts.port ?? 0;
  let server: net.Server | undefined;
  const listen = async (): Promise<void> => {
    const s = net.createServer(opts.serve);
    await new Promise<void>((resolve, reject) => {
      s.once('error', (e) =>
        reject(new Error(`${opts.label} could not listen on ${host}:${port}: ${e.message}`)),
      );
      s.listen(port, host, () => resolve());
    });
    port = (s.address() as net.AddressInfo).port;
    server = s;
  };
  const unlisten = async (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();

  const faults: AnnexFaults = {
    async stop() {
      state.mode = 'down';
      await unlisten();
    },
    async start() {
      state.mode = 'up';
      if (!server) await listen();
    },
    async refuseConnections() {
      await faults.start();
      state.mode = 'refuse';
    },
    async failDispatches() {
      await faults.start();
      state.mode = 'fail';
    },
    slow(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`slow(ms): ms must be >= 0, got ${ms}`);
      state.slowMs = ms;
    },
    async reset() {
      state.slowMs = 0;
      await faults.start();
    },
    get mode() {
      return state.mode;
    },
    get slowMs() {
      return state.slowMs;
    },
  };
  return {
    get port() {
      return port;
    },
    faults,
    async close() {
      state.mode = 'down';
      await unlisten();
    },
  };
}
