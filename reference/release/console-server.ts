// The reference release console: a node TCP service speaking the cohsh
// protocol over the synthetic namespace, with the documented auth replies,
// the 3-failures-in-60 s → 90 s cooldown (durations configurable so tests are
// fast), the 256-byte frame limit answered with ERR FRAME keeping the session,
// and role-based visibility. Defect flags reproduce upstream gaps.
import { createServer, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder, MAX_LINE_BYTES } from '../../harness/cohsh/frame.ts';
import { mayAppend, mayRead, type ReleaseNamespace, type Session } from './namespace.ts';
import { checkTicket } from './tickets.ts';
import { AuthLimiter, SessionGate, type SessionEnd } from './session-gate.ts';

/** a release accepted a new connection 100 ms after a dropped session (cohsh-console.md) */
export const DEFAULT_REARM_MS = 100;

interface ConnState {
  authed: boolean;
  session?: Session;
  end(how: SessionEnd): void;
}

export const ROLES = ['queen', 'worker-heartbeat', 'worker-gpu', 'worker-bus', 'worker-lora'] as const;

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
  defects?: { noCooldown?: boolean; oversizeCloses?: boolean; workerSeesAll?: boolean };
  /**
   * Called once per command (a CLI invocation, for the trace): the command with its
   * credentials redacted and whether its reply was OK. The trace area records these.
   */
  onCommand?: (c: { command: string; ok: boolean }) => void;
}

/** `OK CAT path=<p> data=<lines joined with |>`, the summary cut so the line fits a frame */
export function catAck(path: string, lines: string[]): string {
  return fitLine(`OK CAT path=${path} data=${lines.join('|')}`);
}

/** a line cut to the 256-byte frame limit without splitting a UTF-8 character */
export function fitLine(line: string): string {
  const b = Buffer.from(line, 'utf8');
  if (b.length <= MAX_LINE_BYTES) return line;
  return b
    .subarray(0, MAX_LINE_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/** A console command as it may be logged: the AUTH token and worker tickets are credentials. */
export function redactCommand(line: string): string {
  const t = line.trim();
  if (/^AUTH(\s|$)/.test(t)) return t === 'AUTH' ? 'AUTH' : 'AUTH <redacted>';
  if (/^ATTACH\s+\S+\s+\S/.test(t)) return t.replace(/^(ATTACH\s+\S+)\s.*$/, '$1 <ticket redacted>');
  return t;
}

export class ReleaseConsoleServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly gate: SessionGate;
  private readonly limiter: AuthLimiter;
  port = 0;

  constructor(private readonly o: ConsoleServerOptions) {
    this.gate = new SessionGate({
      singleSession: o.singleSession ?? true,
      rearmMs: o.rearmMs ?? DEFAULT_REARM_MS,
    });
    this.limiter = new AuthLimiter({
      failureLimit: o.failureLimit ?? 3,
      failureWindowMs: o.failureWindowMs ?? 60_000,
      cooldownMs: o.cooldownMs ?? 90_000,
      disabled: o.defects?.noCooldown,
    });
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
    let end: SessionEnd = 'drop';
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.gate.ended(socket, end, Date.now());
    });
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder();
    const state: ConnState = { authed: false, end: (how) => (end = how) };
    const reply = (line: string): void => {
      if (!socket.destroyed) socket.write(encodeFrame(fitLine(line)));
    };
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
        if (!state.authed && /^AUTH(\s|$)/.test(f.line)) {
          const refusal = this.gate.refusal(socket, Date.now());
          if (refusal) {
            socket.resetAndDestroy();
            return;
          }
        }
        let first: string | undefined;
        this.handle(
          f.line,
          state,
          (l) => {
            first ??= l;
            reply(l);
          },
          socket,
        );
        this.o.onCommand?.({ command: redactCommand(f.line), ok: first?.startsWith('OK') ?? false });
      }
    });
  }

  private handle(line: string, st: ConnState, reply: (l: string) => void, socket: Socket): void {
    const [verb = '', ...rest] = line.trim().split(' ');
    const arg = rest.join(' ');
    if (verb === 'AUTH') {
      if (!arg) return reply('ERR AUTH reason=expected-token');
      if (this.limiter.inCooldown(Date.now())) {
        reply('ERR AUTH reason=RateLimited');
        st.end('wrong-token');
        socket.end();
        return;
      }
      if (arg !== this.o.token) {
        // a release closes the connection with no reply (cohsh-console.md)
        this.limiter.recordFailure(Date.now());
        st.end('wrong-token');
        socket.end();
        return;
      }
      st.authed = true;
      this.gate.opened(socket);
      return reply('OK AUTH');
    }
    if (!st.authed) return reply(`ERR ${verb || 'PARSE'} reason=unauthenticated`);
    switch (verb) {
      case 'quit':
      case 'QUIT':
        reply('OK QUIT');
        st.end('quit');
        socket.end();
        return;
      case 'PING':
        reply('OK PING reply=pong');
        return reply('PONG');
      case 'ATTACH':
        return this.attach(rest, st, reply);
      case 'CAT':
      case 'TAIL':
        return this.read(verb, arg, st, reply);
      case 'ECHO':
        return this.echo(arg, st, reply);
      case 'LOG':
        return this.read('TAIL', '/log/queen.log', st, reply);
      case 'LS':
      case 'SPAWN':
        return reply(`ERR ${verb} reason=unsupported`);
      default:
        return reply(`ERR PARSE reason=unknown-verb detail=${verb.slice(0, 32)}`);
    }
  }

  private attach(args: string[], st: { session?: Session }, reply: (l: string) => void): void {
    const [spec = '', ticket] = args;
    const [role = '', subject] = spec.split(':');
    if (!(ROLES as readonly string[]).includes(role))
      return reply(`ERR PARSE reason=unknown-role detail=${role.slice(0, 32)}`);
    if (role !== 'queen') {
      if (!subject) return reply('ERR ATTACH reason=missing-subject');
      if (!ticket) return reply('ERR ATTACH reason=missing-ticket');
      const t = checkTicket(this.o.ticketSecret, ticket);
      if (!t.ok) return reply(`ERR ATTACH reason=${t.reason}`);
      if (t.role !== role || t.subject !== subject) return reply('ERR ATTACH reason=ticket-mismatch');
    }
    st.session = { role, subject };
    reply(`OK ATTACH role=${role}`);
  }

  private read(
    verb: 'CAT' | 'TAIL',
    path: string,
    st: { session?: Session },
    reply: (l: string) => void,
  ): void {
    if (!st.session) return reply(`ERR ${verb} reason=not-attached`);
    if (!path) return reply(`ERR PARSE reason=missing-path detail=${verb}`);
    const lines = this.o.namespace.files.get(path);
    // a path the role may not see answers as a permission error whether or not it exists
    if (!mayRead(st.session, path, this.o.defects?.workerSeesAll))
      return reply(`ERR ${verb} reason=permission`);
    if (!lines) return reply(`ERR ${verb} reason=not-found`);
    if (verb === 'CAT') {
      reply(catAck(path, lines));
      for (const l of lines) reply(l);
    } else {
      reply(`OK TAIL path=${path}`);
      for (const l of lines) reply(l);
    }
    reply('END');
  }

  private echo(arg: string, st: { session?: Session }, reply: (l: string) => void): void {
    if (!st.session) return reply('ERR ECHO reason=not-attached');
    const sp = arg.indexOf(' ');
    if (sp <= 0) return reply('ERR PARSE reason=missing-line detail=ECHO');
    const path = arg.slice(0, sp);
    const text = arg.slice(sp + 1);
    if (!mayAppend(st.session, path, this.o.defects?.workerSeesAll))
      return reply('ERR ECHO reason=permission');
    const lines = this.o.namespace.files.get(path);
    if (!lines) return reply('ERR ECHO reason=not-found');
    lines.push(text);
    if (path === '/queen/ctl') this.o.namespace.applyQueenCtl(text);
    reply(`OK ECHO path=${path} bytes=${Buffer.byteLength(text) + 1}`);
  }
}
