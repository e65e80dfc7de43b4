// The reference annex's availability switch: its TCP listener plus the fault handle the
// suite steers in-process (stop, refuse connections, fail dispatches, slow down). The
// annex's serve callback reads `mode` and `slowMs`. The port survives stop/start so the
// /srv/cuda text the worker holds stays right. The checker's proxy for a user's annex
// has its own (harness/cuda-annex/faultable-listener.ts); the door holds the two alike.
import net from 'node:net';

export type AnnexMode = 'up' | 'down' | 'refuse' | 'fail';

export class AnnexSwitch {
  private current: AnnexMode = 'up';
  private delayMs = 0;
  private server: net.Server | null = null;
  private readonly live = new Set<net.Socket>();

  constructor(
    private readonly host: string,
    private boundPort: number,
    private readonly serve: (socket: net.Socket) => void,
  ) {}

  get port(): number {
    return this.boundPort;
  }
  get mode(): AnnexMode {
    return this.current;
  }
  get slowMs(): number {
    return this.delayMs;
  }

  /** count a connection in, so that stop() can cut it */
  track(socket: net.Socket): void {
    this.live.add(socket);
    socket.once('close', () => this.live.delete(socket));
  }

  /** bind (again) on the kept port; a no-op while listening */
  async open(): Promise<void> {
    if (this.server) return;
    const server = net.createServer(this.serve);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) =>
        reject(
          new Error(`the reference annex could not listen on ${this.host}:${this.boundPort}: ${e.message}`),
        ),
      );
      server.listen(this.boundPort, this.host, resolve);
    });
    this.boundPort = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** down: listener closed and every connection cut, so connects are refused by the OS */
  async stop(): Promise<void> {
    this.current = 'down';
    const server = this.server;
    this.server = null;
    this.live.forEach((s) => s.destroy());
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
  async start(): Promise<void> {
    this.current = 'up';
    await this.open();
  }
  /** accept, then reset at once */
  async refuseConnections(): Promise<void> {
    await this.start();
    this.current = 'refuse';
  }
  /** every /dispatch write answered with an Rerror */
  async failDispatches(): Promise<void> {
    await this.start();
    this.current = 'fail';
  }
  /** delay each /dispatch write (0: none), whatever the mode */
  slow(ms: number): void {
    if (!(ms >= 0 && Number.isFinite(ms))) throw new Error(`slow(ms) takes a delay >= 0 ms, not ${ms}`);
    this.delayMs = ms;
  }
  async reset(): Promise<void> {
    this.delayMs = 0;
    await this.start();
  }
}
