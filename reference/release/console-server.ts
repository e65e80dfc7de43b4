// The reference release console: a node TCP service speaking the cohsh
// protocol over the synthetic namespace, as a release does (cohsh-console.md):
// one session at a time, a new connection reset at AUTH while another session
// is open or while the console re-arms after a dropped one; a wrong token
// closes the connection with no reply; 3 failures in 60 s start a cooldown
// answered `ERR AUTH reason=RateLimited` (durations configurable so tests are
// fast); an oversized frame is answered ERR FRAME and the session kept; `quit`
// → `OK QUIT`, then the console closes. Verbs are in ./console-verbs.ts.
// Defect flags reproduce upstream gaps (./defects.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../contract/cohsh/frame.ts';
import { fitLine, redactCommand } from './acks.ts';
import { runVerb, type VerbContext, type VerbDefects } from './console-verbs.ts';
import type { ReleaseNamespace } from './namespace.ts';
import { AuthLimiter, SessionGate, type SessionEnd } from './session-gate.ts';

export { catAck, redactCommand } from './acks.ts';
export { ROLES } from './console-verbs.ts';

/** a release accepted a new connection 100 ms after a dropped session (cohsh-console.md) */
export const DEFAULT_REARM_MS = 100;
/**
 * console-stuck-after-session: the re-arm outlasts an upstream-like client's whole retry
 * bound (10 s in cohsh-console.md); the reference keeps its own figure rather than
 * importing the checker's retry policy
 */
export const STUCK_REARM_MS = 12_000;

export interface ConsoleDefects extends VerbDefects {
  noCooldown?: boolean;
  oversizeCloses?: boolean;
  /** console-lifecycle-accepts-invalid: an invalid lifecycle transition is acknowledged */
  lifecycleAcceptsInvalid?: boolean;
  /** console-stuck-after-session: after a dropped session the console does not re-arm within STUCK_REARM_MS */
  stuckAfterSession?: boolean;
}

export interface ConsoleServerOptions {
  token: string;
  ticketSecret: Buffer;
  namespace: ReleaseNamespace;
  failureLimit?: number;
  failureWindowMs?: number;
  cooldownMs?: number;
  /** one session at a time, as a release serves (default true) */
  singleSession?: boolean;
  /** how long new connections are reset after a session is dropped without quit (default 100, as measured) */
  rearmMs?: number;
  defects?: ConsoleDefects;
  /**
   * Called once per command (a CLI invocation, for the trace): the command with its
   * credentials redacted and whether its reply was OK. The trace area records these.
   */
  onCommand?: (c: { command: string; ok: boolean }) => void;
}

interface Connection {
  authed: boolean;
  end: SessionEnd;
  verbs: VerbContext;
}

export class ReleaseConsoleServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly gate: SessionGate;
  private readonly limiter: AuthLimiter;
  port = 0;

  constructor(private readonly o: ConsoleServerOptions) {
    const d = o.defects ?? {};
    this.gate = new SessionGate({
      singleSession: o.singleSession ?? true,
      rearmMs: d.stuckAfterSession ? STUCK_REARM_MS : (o.rearmMs ?? DEFAULT_REARM_MS),
    });
    this.limiter = new AuthLimiter({
      failureLimit: o.failureLimit ?? 3,
      failureWindowMs: o.failureWindowMs ?? 60_000,
      cooldownMs: o.cooldownMs ?? 90_000,
      disabled: d.noCooldown,
    });
    o.namespace.acceptInvalidTransitions(Boolean(d.lifecycleAcceptsInvalid));
  }

  async listen(host = '127.0.0.1'): Promise<number> {
    this.server = createServer((s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, host, () => resolve());
    });
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return this.port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const reply = (line: string): void => {
      if (!socket.destroyed) socket.write(encodeFrame(fitLine(line)));
    };
    const conn: Connection = {
      authed: false,
      end: 'drop',
      verbs: {
        namespace: this.o.namespace,
        ticketSecret: this.o.ticketSecret,
        defects: this.o.defects ?? {},
        reply,
      },
    };
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (conn.authed) this.o.namespace.sessions.active--;
      this.gate.ended(socket, conn.end, Date.now());
    });
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder();
    socket.on('data', (d: Buffer) => {
      for (const f of decoder.push(d)) {
        if (socket.destroyed) return;
        if (f.kind === 'invalid-length') {
          if (this.o.defects?.oversizeCloses) {
            socket.destroy();
            return;
          }
          reply('ERR FRAME reason=invalid-length');
          continue;
        }
        // a busy or re-arming console resets the connection at AUTH, before reading the token
        if (!conn.authed && /^AUTH(\s|$)/.test(f.line) && this.gate.refusal(socket, Date.now())) {
          socket.resetAndDestroy();
          return;
        }
        let first: string | undefined;
        conn.verbs.reply = (l) => {
          first ??= l;
          reply(l);
        };
        this.handle(f.line, conn, socket);
        this.o.onCommand?.({ command: redactCommand(f.line), ok: first?.startsWith('OK') ?? false });
      }
    });
  }

  private handle(line: string, conn: Connection, socket: Socket): void {
    const [verb = '', ...rest] = line.trim().split(' ');
    const reply = conn.verbs.reply;
    if (verb === 'AUTH') return this.auth(rest.join(' '), conn, socket);
    if (!conn.authed) return reply(`ERR ${verb || 'PARSE'} reason=unauthenticated`);
    if (verb === 'quit' || verb === 'QUIT') {
      reply('OK QUIT');
      conn.end = 'quit';
      socket.end();
      return;
    }
    runVerb(conn.verbs, verb, rest);
  }

  private auth(token: string, conn: Connection, socket: Socket): void {
    if (!token) return conn.verbs.reply('ERR AUTH reason=expected-token');
    if (conn.authed) return conn.verbs.reply('OK AUTH'); // already this connection's session
    if (this.limiter.inCooldown(Date.now())) {
      conn.verbs.reply('ERR AUTH reason=RateLimited');
      conn.end = 'wrong-token';
      socket.end();
      return;
    }
    if (token !== this.o.token) {
      // a release closes the connection with no reply (cohsh-console.md)
      this.limiter.recordFailure(Date.now());
      conn.end = 'wrong-token';
      socket.end();
      return;
    }
    conn.authed = true;
    this.o.namespace.sessions.active++;
    this.gate.opened(socket);
    conn.verbs.reply('OK AUTH');
  }
}
